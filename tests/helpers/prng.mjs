/**
 * Test helper: a small deterministic PRNG (mulberry32) so generated corpora are the same
 * on every run and machine. `rng(seed)` → { next, int, pick, chance, chars, weighted }.
 */

/** A seeded generator; `next()` is uniform in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  return {
    next,
    int,
    pick,
    chance: (p) => next() < p,
    /** `n` characters from `alphabet`. */
    chars: (alphabet, n) => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""),
    /** Picks from [[weight, value], …]. */
    weighted(pairs) {
      const total = pairs.reduce((s, [w]) => s + w, 0);
      let x = next() * total;
      for (const [w, v] of pairs) {
        if ((x -= w) < 0) return v;
      }
      return pairs.at(-1)[1];
    },
  };
}

export const DIGITS = "0123456789";
export const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const HEX = "0123456789abcdef";
export const B64URL = ALNUM + "-_";

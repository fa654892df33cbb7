/**
 * The `scrub` option judged before the core reads it: every field of its type and in its
 * range, or one sentence naming the first wrong value, e.g.
 * ``invalid option `scrub.values[0].chars`: range "z-a" is reversed``. The client then sends
 * nothing rather than guess (the engine hands the core a value it refuses, which disables
 * it; `client.scrubError` is this sentence). The core builds the scrubbing rules from a
 * value that passed (`src/pii/config.rs`).
 *
 * The value is the normalised copy (`normalize.ts`), read as the core decodes its JSON
 * text: strings with lone surrogates as U+FFFD where they are compared or quoted, numbers
 * as the core's JSON reader reads them (`coreNumber`), key names ordered by their UTF-8
 * bytes, a quoted string cut at 40 UTF-8 bytes on a character boundary. The readers of
 * strings and numbers are `options.ts`'s, handed in by the engine, so that in browsers this
 * module's chunk (loaded only for an app that sets `scrub`) links nothing of the engine's.
 */
import type { coreNumber, wellFormed } from "./options.js";

type Fields = Record<string, unknown>;

const isFields = (v: unknown): v is Fields => !!v && typeof v == "object" && !Array.isArray(v);

/** True when `a` sorts before `b` by code points (the order of their UTF-8 bytes). */
function before(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] != y[i]) return x[i].codePointAt(0)! < y[i].codePointAt(0)!;
  return x.length < y.length;
}

/** The sentence for the first wrong value of `scrub`, or undefined when it may be passed on. */
export function checkScrub(scrub: unknown, decoded: typeof wellFormed, number: typeof coreNumber): string | undefined {
  /** Stops the check with the sentence for the value at `at` (the path after `scrub`). */
  const fail = (at: string, why: string): never => {
    throw `invalid option \`scrub${at}\`: ${why}`;
  };
  const expected = (at: string, what: string, v: unknown): never => {
    let got = v == null ? "null" : typeof v == "number" ? "a number" : Array.isArray(v) ? "an array" : typeof v == "object" ? "an object" : "" + v;
    if (typeof v == "string") {
      // The first 40 UTF-8 bytes, whole characters.
      let bytes = 0;
      got = "";
      for (const c of decoded(v)) {
        if ((bytes += c < "\x80" ? 1 : c < "\u0800" ? 2 : c.length + 2) > 40) {
          got += "…";
          break;
        }
        got += c;
      }
      got = `"${got}"`;
    }
    return fail(at, `expected ${what}, got ${got}`);
  };
  /** The first unknown field of `v` in key order, reported with the known ones. */
  const fields = (v: Fields, at: string, known: string[]) => {
    let unknown: string | undefined;
    for (let k in v) if (!known.includes((k = decoded(k))) && (unknown === undefined || before(k, unknown))) unknown = k;
    if (unknown !== undefined) fail(`${at}.${unknown}`, `unknown field (expected one of ${known.join(", ")})`);
  };
  const boolean = (v: unknown, at: string) => typeof v == "boolean" || expected(at, "true or false", v);
  const text = (v: unknown, at: string, max: number) =>
    typeof v != "string"
      ? expected(at, "a string", v)
      : !v
        ? fail(at, "must not be empty")
        : [...v].length > max && fail(at, `longer than ${max} characters`);
  /** A list of at most `max` (`items` in the sentences), each checked by `each`. */
  const list = (v: unknown, at: string, what: string, max: number, items: string, each: (item: unknown, at: string) => unknown) => {
    if (v === undefined) return;
    if (!Array.isArray(v)) expected(at, `an array of ${what}`, v);
    if ((v as unknown[]).length > max) fail(at, `more than ${max} ${items}`);
    (v as unknown[]).forEach((item, i) => each(item, `${at}[${i}]`));
  };
  const key = (k: unknown, at: string) => text(k, at, 64);
  const valueRule = (v: unknown, at: string) => {
    if (!isFields(v)) return expected(at, "an object like { name, prefix, chars, minLength }", v);
    fields(v, at, ["name", "prefix", "chars", "minLength", "ignoreCase", "replacement"]);
    text(v.name, `${at}.name`, 32);
    if (!/^[\w-]+$/.test(v.name as string)) fail(`${at}.name`, "use only letters, digits, `_` and `-`");
    text(v.prefix, `${at}.prefix`, 64);
    const c = v.chars === undefined ? "" : v.chars;
    if (typeof c != "string") return expected(`${at}.chars`, 'a string such as "A-Za-z0-9"', c);
    if (/[^\0-\x7f]/.test(c)) fail(`${at}.chars`, "only ASCII characters are supported");
    // Ranges `a-z`, single characters, `\` escaping the next one (as the core reads them).
    for (let i = 0; i < c.length; i++) {
      if (c[i] == "\\" && i + 1 < c.length) i++;
      if (i + 2 < c.length && c[i + 1] == "-") {
        if (c[i + 2] < c[i]) fail(`${at}.chars`, `range "${c.slice(i, i + 3)}" is reversed`);
        i += 2;
      }
    }
    const m = v.minLength;
    const n = typeof m == "number" ? number(m) : -1;
    // The minimum is checked first (a wrong one is reported whatever `chars` is).
    if ((m === undefined ? +!!c : n % 1 == 0 && n >= 0 && n <= 256 ? n : expected(`${at}.minLength`, "a whole number from 0 to 256", m)) > 0 && !c) fail(`${at}.minLength`, "needs `chars` to say which characters follow the prefix");
    if (v.ignoreCase !== undefined) boolean(v.ignoreCase, `${at}.ignoreCase`);
    if (v.replacement !== undefined) text(v.replacement, `${at}.replacement`, 64);
  };

  try {
    if (scrub == null || typeof scrub == "boolean") return;
    if (!isFields(scrub)) return expected("", "false, true or an object", scrub);
    fields(scrub, "", ["keys", "safeKeys", "values", "ip", "email"]);
    // Each member is read where it is checked.
    list(scrub.keys, ".keys", "key names", 200, "entries", key);
    list(scrub.safeKeys, ".safeKeys", "key names", 200, "entries", key);
    list(scrub.values, ".values", "rules", 32, "rules", valueRule);
    if (scrub.ip !== undefined) boolean(scrub.ip, ".ip");
    const email = scrub.email;
    if (email !== undefined && typeof email != "boolean" && email !== "messages") expected(".email", 'true, false or "messages"', email);
  } catch (sentence) {
    return sentence as string;
  }
}

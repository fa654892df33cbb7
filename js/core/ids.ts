/**
 * The engine's random bytes and ids: random bytes for the core's sampling and trace ids,
 * as many as `core.randomBytes` says, and ids in the form of an event id (UUID v4 as 32
 * hex digits), such as a request's id. The id of a capture is made by the loader
 * (`loader-util.ts`) when the capture is called, so a capture queued before the core has
 * loaded already has the id it returns; the core validates and uses it.
 */

/** Bytes drawn from the CSPRNG at once; each is handed out once (a storm of captures costs one call per `POOL` bytes, not one per capture). */
const POOL = 4096;
let pool: Uint8Array | undefined;
let used = POOL;

/** `n` fresh random bytes from the platform's CSPRNG (a view of the pool: callers hand it to the core, which copies it, at once). */
export function randomBytes(n: number): Uint8Array {
  n = n > 0 ? n : 0;
  if (n > POOL) return crypto.getRandomValues(new Uint8Array(n));
  if (!pool || used + n > POOL) {
    pool = crypto.getRandomValues(pool ?? new Uint8Array(POOL));
    used = 0;
  }
  return pool.subarray(used, (used += n));
}

/** Each byte value's two lowercase hex digits. */
const HEX = Array.from({ length: 256 }, (_, x) => (x + 256).toString(16).slice(1));

/** `bytes` as lowercase hex, two digits a byte. */
export function hex(bytes: Uint8Array): string {
  let s = "";
  for (const x of bytes) s += HEX[x];
  return s;
}

/**
 * The id of a new event: `given` (a capture hint's `event_id`, as Sentry's SDKs take it)
 * when it is one (32 lowercase hex digits); else a new UUID v4.
 */
export function eventId(given?: unknown): string {
  if (typeof given == "string" && /^[\da-f]{32}$/.test(given)) return given;
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return hex(b);
}

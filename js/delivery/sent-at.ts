/**
 * An envelope's `sent_at`, written over the one the core wrote first in its header, in
 * place, at each attempt to send it: no parsing and no copy of the envelope's bytes.
 */

/** Every envelope the core writes starts with this, then a 24-character timestamp and `"`. */
const SENT_AT_HEAD = '{"sent_at":"';
const SENT_AT_LEN = 24;
/** The last millisecond a 4-digit year can show (9999-12-31T23:59:59.999Z). */
const LAST_MS = 253402300799999;
let stampSecond = NaN;
let stampHead = "";

/**
 * Writes `nowMs` over the 24-character `sent_at` an envelope of the core starts with, as
 * the core would (RFC 3339 UTC; the epoch before 1970, past year 9999 or not finite).
 * `YYYY-MM-DDTHH:MM:SS.` is formatted once per second: browsers format a Date slowly.
 */
export function stampSentAt(body: Uint8Array, nowMs: number): void {
  const at = SENT_AT_HEAD.length;
  if (body.length <= at + SENT_AT_LEN || body[at + SENT_AT_LEN] !== 0x22) return;
  for (let i = 0; i < at; i++) if (body[i] !== SENT_AT_HEAD.charCodeAt(i)) return;
  const ms = nowMs > 0 && nowMs <= LAST_MS ? Math.trunc(nowMs) : 0;
  const second = Math.floor(ms / 1000);
  if (second !== stampSecond) {
    stampHead = new Date(second * 1000).toISOString().slice(0, 20) + "000Z";
    stampSecond = second;
  }
  const milli = ms - second * 1000;
  for (let i = 0; i < SENT_AT_LEN; i++) body[at + i] = stampHead.charCodeAt(i);
  body[at + 20] += Math.floor(milli / 100);
  body[at + 21] += Math.floor(milli / 10) % 10;
  body[at + 22] += milli % 10;
}

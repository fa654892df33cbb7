// The hostile-value matrices' verdict on one row's envelopes (Node: tests/hostile.test.mjs
// through tests/helpers/hostile-worker.mjs; Chromium: tests/e2e-hostile.test.mjs): each
// envelope parses and is under 1 MiB, and the row's one capture is either sent or counted
// as discarded in a client report. Appends what is wrong to `problems`.
import { parseEnvelope } from "./envelope.mjs";

export const MIB = 1024 * 1024;

/** `bodies`: Uint8Arrays (or a number: the size of an envelope too large to bring back). */
export function checkEnvelopes(bodies, problems) {
  let sent = 0;
  let counted = 0;
  let largest = 0;
  for (const body of bodies) {
    const size = typeof body === "number" ? body : body.byteLength;
    largest = Math.max(largest, size);
    if (size >= MIB) problems.push(`an envelope of ${size} bytes`);
    if (typeof body === "number") continue;
    try {
      for (const item of parseEnvelope(body).items) {
        if (item.json === undefined) problems.push(`a ${item.headers.type} item that is not JSON`);
        if (item.headers.type === "event") sent++;
        if (item.headers.type === "client_report") {
          for (const d of item.json?.discarded_events ?? []) if (d.category !== "internal") counted += d.quantity;
        }
      }
    } catch (e) {
      problems.push(`an envelope that does not parse: ${e.message}`);
    }
  }
  if (sent + counted !== 1) problems.push(`1 capture, ${sent} sent and ${counted} counted as discarded`);
  return largest;
}

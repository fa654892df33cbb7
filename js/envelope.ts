/**
 * Reading and rewriting envelope bytes in the shim, where a JSON parser comes free:
 * the header line (for `sent_at` and the tunnel's `dsn`), and the counts of a client
 * report that could not be delivered. Envelopes are built by the core; nothing here
 * builds one.
 */

const enc = new TextEncoder();
const dec = new TextDecoder();

function lineEnd(body: Uint8Array, from: number, limit = body.length): number {
  const i = body.subarray(from, limit).indexOf(10);
  return i < 0 ? limit : from + i;
}

function jsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(dec.decode(bytes));
    return v && typeof v === "object" && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The envelope's header object, or undefined when its first line is not a JSON object. */
export function envelopeHeader(body: Uint8Array): Record<string, unknown> | undefined {
  return jsonObject(body.subarray(0, lineEnd(body, 0)));
}

/**
 * The envelope with the header's `sent_at` set to `nowMs`, or removed when `nowMs` is
 * undefined (for storage). `sent_at` is replaced, never added twice. An envelope with an
 * unreadable header is returned as it is.
 */
export function withSentAt(body: Uint8Array, nowMs?: number): Uint8Array {
  const end = lineEnd(body, 0);
  const header = jsonObject(body.subarray(0, end));
  if (!header) return body;
  delete header.sent_at;
  if (nowMs !== undefined) header.sent_at = new Date(nowMs).toISOString();
  const head = enc.encode(JSON.stringify(header));
  const out = new Uint8Array(head.length + body.length - end);
  out.set(head);
  out.set(body.subarray(end), head.length);
  return out;
}

/** One line of a client report's `discarded_events`. */
export interface DiscardCount {
  reason: string;
  category: string;
  quantity: number;
}

/** The `discarded_events` of every `client_report` item in an envelope. */
export function clientReportCounts(body: Uint8Array): DiscardCount[] {
  const out: DiscardCount[] = [];
  let pos = lineEnd(body, 0) + 1;
  while (pos < body.length) {
    const end = lineEnd(body, pos);
    const headers = jsonObject(body.subarray(pos, end));
    if (!headers) break;
    const start = end + 1;
    const len = typeof headers.length === "number" ? headers.length : lineEnd(body, start) - start;
    if (start + len > body.length) break;
    if (headers.type === "client_report") {
      const report = jsonObject(body.subarray(start, start + len));
      const list = Array.isArray(report?.discarded_events) ? report.discarded_events : [];
      for (const d of list) {
        if (d && typeof d.reason === "string" && typeof d.category === "string" && typeof d.quantity === "number") {
          out.push({ reason: d.reason, category: d.category, quantity: d.quantity });
        }
      }
    }
    pos = start + len + 1;
  }
  return out;
}

/**
 * Test helper: a transport that keeps every request instead of sending it, and answers
 * with `status` (200 by default). Tests read back what the SDK would have sent:
 *
 *   const cap = captureTransport({ seen });
 *   oxeye.init({ dsn, transport: cap.transport });
 *   cap.events()      event payloads, in the order they were sent
 *   cap.reports()     client_report payloads
 *   cap.envelopes()   parsed envelopes ({ headers, items })
 *   cap.bodies()      raw request bodies
 *
 * `seen` (optional): an array every sent event is also pushed to, for suites that check
 * all their events with Sentry's normaliser at the end.
 */
import { eventsOf, parseEnvelope } from "./envelope.mjs";

export function captureTransport({ status = 200, seen } = {}) {
  const requests = [];
  const transport = async (req) => {
    requests.push(req);
    if (seen) seen.push(...eventsOf([req.body]));
    return { status, headers: {} };
  };
  return {
    transport,
    requests,
    bodies: () => requests.map((r) => r.body),
    envelopes: () => requests.map((r) => parseEnvelope(r.body)),
    events: () => eventsOf(requests.map((r) => r.body)),
    reports: () => requests.flatMap((r) => parseEnvelope(r.body).items).filter((i) => i.headers.type === "client_report").map((i) => i.json),
  };
}

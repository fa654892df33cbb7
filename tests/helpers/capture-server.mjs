/**
 * Test helper: a Sentry-compatible envelope receiver on 127.0.0.1 that keeps every
 * envelope it gets (Bugsink drops client reports, so tests that assert on them use this).
 * Answers 200 with permissive CORS headers, as Sentry does; `rateLimit(header)` makes
 * every later answer carry that `X-Sentry-Rate-Limits` (undefined: none).
 */
import { createServer } from "node:http";
import { parseEnvelope } from "./envelope.mjs";

export async function startCaptureServer() {
  const envelopes = [];
  let limits;
  const server = createServer((req, res) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "*", "access-control-expose-headers": "x-sentry-rate-limits, retry-after" };
    if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      try {
        envelopes.push({ url: req.url, headers: req.headers, envelope: parseEnvelope(Buffer.concat(chunks)) });
        res.writeHead(200, { ...cors, "content-type": "application/json", ...(limits && { "x-sentry-rate-limits": limits }) }).end("{}");
      } catch (e) {
        res.writeHead(400, cors).end(String(e));
      }
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const port = server.address().port;
  const items = (type) => envelopes.flatMap((e) => e.envelope.items).filter((i) => i.headers.type === type).map((i) => i.json);
  return {
    port,
    dsn: `http://capturekey@127.0.0.1:${port}/1`,
    envelopes,
    events: () => items("event"),
    clientReports: () => items("client_report"),
    rateLimit: (header) => void (limits = header),
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

/**
 * fault-server.mjs — a Sentry-compatible envelope receiver on 127.0.0.1 that misbehaves
 * on purpose, scripted per test, and counts exactly what it received and acknowledged.
 *
 *   const server = await startFaultServer({ respond? })
 *   server.url, server.port
 *   server.dsn                 'http://faultkey@127.0.0.1:PORT/1'
 *   server.respond = (req) => fault    who answers each request (default: faults.ok())
 *       req = { n, kind, eventId, envelope, headers }  n counts envelope requests from 0;
 *       kind is 'event', 'client_report', 'other' or 'invalid' (unparseable body)
 *   await server.setOffline(true|false)   stop listening (connections are refused and
 *                              open ones cut) / listen again on the same port
 *   server.stats()             tallies, see below
 *   server.requests            the last 200 requests: { n, kind, eventId, headers,
 *                              headerLine (the envelope header as sent), at, outcome }
 *   await server.close()
 *
 * Faults (plain objects; `faults.*` builds them):
 *   ok({ headers })            200 with `{"id":…}`
 *   status(code, { headers })  any status (413, 500, 503, 429 …), body read and discarded
 *   rateLimited(header, code)  `code` (default 429) with X-Sentry-Rate-Limits: header
 *   retryAfter(value)          429 with Retry-After: value (seconds or an HTTP date)
 *   bare429()                  429 with neither header
 *   slow(ms, then)             answers `then` (default ok) after `ms`
 *   reset()                    resets the connection (TCP RST) without answering
 *
 * Every response carries permissive CORS headers and exposes the rate-limit headers, as
 * Sentry does, so browsers can read them.
 *
 * stats():
 *   requests                   envelope requests received
 *   acked                      Set of event ids answered 2xx (counted only when the answer
 *                              was written to a connection that was still open)
 *   duplicates                 event ids acknowledged more than once
 *   rateLimited                Set of event ids answered 429 (the server's own count,
 *                              like Relay's: clients do not report these)
 *   answered                   { '<status>' | 'reset' | 'abandoned': count } for events
 *   finalStatus                Map event id -> last status the server gave it
 *   discarded                  { 'reason/category': quantity } summed over the client
 *                              reports the server acknowledged
 *   reports                    number of client reports acknowledged
 *   maxOpen                    most requests received and not yet answered at once
 *   attempts                   Map event id -> [{ n, outcome, at, … }]: every request for
 *                              that event and how it ended
 */
import { createServer } from "node:http";
import { parseEnvelope as parseShared } from "./envelope.mjs";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "*",
  "access-control-expose-headers": "x-sentry-rate-limits, retry-after",
};

export const faults = {
  ok: ({ headers = {} } = {}) => ({ status: 200, headers }),
  status: (status, { headers = {} } = {}) => ({ status, headers }),
  rateLimited: (header, status = 429) => ({ status, headers: { "x-sentry-rate-limits": header } }),
  retryAfter: (value) => ({ status: 429, headers: { "retry-after": String(value) } }),
  bare429: () => ({ status: 429, headers: {} }),
  slow: (ms, then = { status: 200, headers: {} }) => ({ ...then, delayMs: ms }),
  reset: () => ({ reset: true }),
};

/** Parses an envelope (honouring item `length`); throws on malformed input. */
export function parseEnvelope(buf) {
  const env = parseShared(buf);
  if (env.items.some((i) => i.json === undefined)) throw new Error("item payload is not JSON");
  return env;
}

export async function startFaultServer({ respond } = {}) {
  let n = 0;
  const stats = {
    requests: 0,
    acked: new Set(),
    duplicates: 0,
    rateLimited: new Set(),
    answered: {},
    finalStatus: new Map(),
    discarded: {},
    reports: 0,
    maxOpen: 0,
    attempts: new Map(),
  };
  let open = 0;
  const recent = [];
  const sockets = new Set();
  const bump = (key) => (stats.answered[key] = (stats.answered[key] ?? 0) + 1);

  const server = createServer((req, res) => {
    if (req.method === "OPTIONS") return void res.writeHead(204, CORS).end();
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("error", () => {});
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let envelope;
      let kind = "invalid";
      try {
        envelope = parseEnvelope(body);
        const types = envelope.items.map((i) => i.headers.type);
        kind = types.includes("event") ? "event" : types.includes("client_report") ? "client_report" : "other";
      } catch {
        /* answered below like any other request, counted as invalid */
      }
      const eventId = kind === "event" ? envelope.headers.event_id : undefined;
      const info = { n: n++, kind, eventId, envelope, headers: req.headers };
      stats.requests++;
      let fault;
      try {
        fault = (server.respond ?? (() => faults.ok()))(info) ?? faults.ok();
      } catch {
        fault = faults.status(500);
      }
      const nl = body.indexOf(10);
      const headerLine = body.subarray(0, nl < 0 ? body.length : nl).toString("utf8");
      const record = { n: info.n, kind, eventId, headers: req.headers, headerLine, at: Date.now(), outcome: fault.reset ? "reset" : fault.status };
      recent.push(record);
      if (eventId) {
        if (!stats.attempts.has(eventId)) stats.attempts.set(eventId, []);
        stats.attempts.get(eventId).push(record);
      }
      if (recent.length > 200) recent.shift();

      let done = false;
      open++;
      stats.maxOpen = Math.max(stats.maxOpen, open);
      const answer = () => {
        if (done) return;
        done = true;
        open--;
        if (fault.reset) {
          if (kind === "event") bump("reset");
          req.socket.resetAndDestroy();
          return;
        }
        if (req.socket.destroyed || res.destroyed) {
          // The client gave up before the answer: nothing was acknowledged.
          record.outcome = "abandoned";
          if (kind === "event") bump("abandoned");
          return;
        }
        const status = fault.status ?? 200;
        if (kind === "event") {
          bump(String(status));
          stats.finalStatus.set(eventId, status);
          if (status >= 200 && status < 300) {
            if (stats.acked.has(eventId)) stats.duplicates++;
            stats.acked.add(eventId);
          } else if (status === 429) {
            stats.rateLimited.add(eventId);
          }
        } else if (kind === "client_report" && status >= 200 && status < 300) {
          stats.reports++;
          for (const item of envelope.items) {
            if (item.headers.type !== "client_report") continue;
            for (const d of item.json.discarded_events ?? []) {
              const key = `${d.reason}/${d.category}`;
              stats.discarded[key] = (stats.discarded[key] ?? 0) + d.quantity;
            }
          }
        }
        const ok = status >= 200 && status < 300;
        res.writeHead(status, { ...CORS, "content-type": "application/json", ...fault.headers });
        res.end(ok ? JSON.stringify({ id: eventId ?? null }) : JSON.stringify({ detail: `fault ${status}` }));
      };
      if (fault.delayMs) {
        const t = setTimeout(answer, fault.delayMs);
        req.socket.once("close", () => {
          clearTimeout(t);
          answer();
        });
      } else answer();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.respond = respond;

  const listen = (port) =>
    new Promise((ok, fail) => {
      server.once("error", fail);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", fail);
        ok();
      });
    });
  await listen(0);
  const port = server.address().port;
  let offline = false;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dsn: `http://faultkey@127.0.0.1:${port}/1`,
    envelopeUrl: `http://127.0.0.1:${port}/api/1/envelope/`,
    get respond() {
      return server.respond;
    },
    set respond(fn) {
      server.respond = fn;
    },
    get requests() {
      return recent;
    },
    stats: () => stats,
    async setOffline(value) {
      if (value === offline) return;
      offline = value;
      if (value) {
        await new Promise((ok) => {
          server.close(() => ok());
          for (const s of sockets) s.destroy();
        });
      } else {
        await listen(port);
      }
    },
    close: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy();
        if (offline) return ok();
        server.close(() => ok());
      }),
  };
}

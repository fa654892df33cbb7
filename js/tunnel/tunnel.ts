/**
 * `oxeye/tunnel`: the server side of the `tunnel` option. A standard
 * `(request: Request) => Promise<Response>` handler (Next.js route handlers, Workers,
 * anything with the Fetch API) that relays envelopes from your own origin to Sentry, so
 * blockers that stop requests to the ingest host do not stop your error reports.
 *
 * It is not an open proxy: an envelope is forwarded only when the `dsn` in its header is
 * on `allowedDsns` (403 otherwise), compared after both are parsed by the core's DSN
 * parser. Bodies over `maxBodyBytes` get 413 without being read further. The envelope goes
 * to that DSN's envelope endpoint with the client's IP as `X-Sentry-Forwarded-For` (from
 * `CF-Connecting-IP`, else the first `X-Forwarded-For` entry), and the browser gets the
 * upstream status with `Retry-After` and `X-Sentry-Rate-Limits`, so rate limits still
 * reach the SDK.
 *
 * This entry loads the wasm core with `fetch` on first use; the `node` and `workerd`
 * conditions of the exports map load it from disk or as an imported module instead.
 */
import { loadWebCore } from "../core/load-web.js";
import type { Core } from "../core/enums.js";
import { envelopeHeader } from "./envelope.js";

/** What the core's DSN parser returns. */
export interface ParsedDsn {
  publicDsn?: string;
  envelopeUrl?: string;
  error?: string;
}

/** The core's DSN parser. */
export type DsnParser = (text: string) => ParsedDsn;

/** The core's `parseDsn` as a plain-object parser. */
export function dsnParser(CoreClass: typeof Core): DsnParser {
  return (text) => {
    const p = CoreClass.parseDsn(text);
    const out = { publicDsn: p.publicDsn, envelopeUrl: p.envelopeUrl, error: p.error };
    p.free();
    return out;
  };
}

/** Options of the tunnel handler. */
export interface TunnelOptions {
  /** The DSNs envelopes may name. Anything else gets 403. */
  allowedDsns: string[];
  /** Larger bodies get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** How long to wait for the upstream answer, in ms (then 504). Default 30000. */
  timeoutMs?: number;
  /** The fetch used to forward; default the global one. */
  fetch?: typeof fetch;
}

/** A Fetch API request handler. */
export type TunnelHandler = (request: Request) => Promise<Response>;

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const PASSED_BACK = ["retry-after", "x-sentry-rate-limits"];

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** The body, or null when it is larger than `max` bytes. */
async function readCapped(request: Request, max: number): Promise<Uint8Array | null> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > max) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The client's IP address from the proxy headers, if it looks like one. */
function clientIp(headers: Headers): string | undefined {
  const candidates = [headers.get("cf-connecting-ip"), headers.get("x-forwarded-for")?.split(",")[0], headers.get("x-real-ip")];
  for (const c of candidates) {
    const ip = c?.trim();
    if (ip && ip.length <= 64 && /^[0-9A-Fa-f.:]+$/.test(ip)) return ip;
  }
  return undefined;
}

/** Makes a handler with a given way of loading the core's DSN parser. */
export function createTunnelHandlerWith(options: TunnelOptions, loadParser: () => DsnParser | Promise<DsnParser>): TunnelHandler {
  const allowedDsns = options?.allowedDsns;
  if (!Array.isArray(allowedDsns) || allowedDsns.length === 0 || !allowedDsns.every((d) => typeof d === "string")) {
    throw new TypeError("createTunnelHandler: allowedDsns must be a non-empty array of DSN strings");
  }
  const max = typeof options.maxBodyBytes === "number" && options.maxBodyBytes >= 0 ? options.maxBodyBytes : DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = typeof options.timeoutMs === "number" && options.timeoutMs > 0 ? options.timeoutMs : 30_000;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let setup: Promise<{ parse: DsnParser; allowed: Set<string> }> | undefined;
  const ready = () =>
    (setup ??= Promise.resolve()
      .then(loadParser)
      .then((parse) => {
        const allowed = new Set<string>();
        allowedDsns.forEach((text, i) => {
          const d = parse(text);
          if (!d.publicDsn) throw new Error(`allowedDsns[${i}] is not a valid DSN: ${d.error}`);
          allowed.add(d.publicDsn);
        });
        return { parse, allowed };
      })
      .catch((e) => {
        setup = undefined;
        throw e;
      }));

  return async (request) => {
    let core: { parse: DsnParser; allowed: Set<string> };
    try {
      core = await ready();
    } catch (e) {
      return plain(500, `oxeye tunnel is misconfigured: ${e instanceof Error ? e.message : e}`);
    }
    if (request.method !== "POST") return plain(405, "envelopes are POSTed");
    const encoding = request.headers.get("content-encoding");
    if (encoding && encoding.toLowerCase() !== "identity") return plain(415, "compressed envelopes are not relayed");
    const body = await readCapped(request, max).catch(() => undefined);
    if (body === undefined) return plain(400, "the body could not be read");
    if (body === null) return plain(413, `envelopes larger than ${max} bytes are not relayed`);
    const dsnText = envelopeHeader(body)?.dsn;
    if (typeof dsnText !== "string") return plain(400, "not an envelope naming its dsn");
    const dsn = core.parse(dsnText);
    if (!dsn.publicDsn || !dsn.envelopeUrl) return plain(400, `the envelope's dsn is invalid: ${dsn.error}`);
    if (!core.allowed.has(dsn.publicDsn)) return plain(403, "this dsn is not relayed here");

    const headers: Record<string, string> = { "content-type": "application/x-sentry-envelope" };
    const ip = clientIp(request.headers);
    if (ip) headers["x-sentry-forwarded-for"] = ip;
    const ua = request.headers.get("user-agent");
    if (ua) headers["user-agent"] = ua;
    let upstream: Response;
    try {
      upstream = await doFetch(dsn.envelopeUrl, {
        method: "POST",
        body: body as BodyInit,
        headers,
        signal: typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(timeoutMs) : undefined,
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
      return plain(timedOut ? 504 : 502, timedOut ? "the upstream did not answer in time" : "the upstream could not be reached");
    }
    const text = await upstream.text().catch(() => "");
    const out = new Headers({ "content-type": upstream.headers.get("content-type") ?? "application/json" });
    for (const h of PASSED_BACK) {
      const v = upstream.headers.get(h);
      if (v !== null) out.set(h, v);
    }
    return new Response(text, { status: upstream.status, headers: out });
  };
}

let loading: Promise<DsnParser> | undefined;

/** Makes the tunnel handler. Throws a TypeError when `allowedDsns` is not a non-empty list. */
export function createTunnelHandler(options: TunnelOptions): TunnelHandler {
  return createTunnelHandlerWith(
    options,
    () => (loading ??= loadWebCore().then(dsnParser)),
  );
}

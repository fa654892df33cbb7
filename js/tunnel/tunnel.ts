/**
 * `oxeye/tunnel`: the server side of the `tunnel` option. A standard
 * `(request: Request) => Promise<Response>` handler (Next.js route handlers, Workers,
 * anything with the Fetch API) that relays envelopes from your own origin to Sentry, so
 * blockers that stop requests to the ingest host do not stop your error reports.
 *
 * It is not an open proxy: an envelope is forwarded only when the `dsn` in its header is
 * on `allowedDsns` (403 otherwise), compared after both are parsed by the core's DSN
 * parser. Bodies over `maxBodyBytes` get 413 without being read further, and a body that
 * is not complete within `bodyTimeoutMs` gets 408 (a slow client cannot hold the handler
 * open), in both cases before anything is sent upstream. The envelope goes to that DSN's
 * envelope endpoint with the client's IP as `X-Sentry-Forwarded-For`, and the browser gets
 * the upstream status with `Retry-After` and `X-Sentry-Rate-Limits`, so rate limits still
 * reach the SDK. Upstream redirects are not followed (502), and the upstream's answer is
 * passed back only up to 64 KiB.
 *
 * Which IP: any client can send `X-Forwarded-For`, `CF-Connecting-IP` or `X-Real-IP`, so
 * they are believed only with `trustProxy` (off by default), i.e. when a proxy you run (or
 * Cloudflare) sets them; with a number of hops, only `X-Forwarded-For`. Without it the
 * handler forwards the peer address the runtime reports in its second argument
 * (`{ remoteAddress }` from Node's socket, as the `nodeListener` of the Node entry passes
 * it, or Deno's `{ remoteAddr: { hostname } }`), or no address at all.
 *
 * This entry loads the wasm core with `fetch` on first use (the browsers' `oxeye_bg.wasm`:
 * only its DSN parser is used, which every build has); the `node`, `edge-light` and
 * `workerd` conditions of the exports map load the servers' `oxeye_server_bg.wasm` from
 * disk or as an imported module instead.
 */
import { loadWebCore } from "../core/load-web.js";
import { parseDsn } from "../core/core.js";
import { envelopeHeader } from "./envelope.js";

/** What the core's DSN parser returns. */
export interface ParsedDsn {
  publicDsn?: string;
  envelopeUrl?: string;
  error?: string;
}

/** The core's DSN parser. */
export type DsnParser = (text: string) => ParsedDsn;

/** The core's `parseDsn` as a plain-object parser; made once a loader has initialised the core's module. */
export function dsnParser(): DsnParser {
  return (text) => {
    const p = parseDsn(text);
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
  maxBodyBytes?: number | undefined;
  /** How long to wait for the upstream answer, in ms (then 504). Default 30000. */
  timeoutMs?: number | undefined;
  /** The fetch used to forward; default the global one. */
  fetch?: typeof fetch | undefined;
  /**
   * Whether the proxy headers name the client (default false: they are ignored, since any
   * client can send them). `true`: a proxy you run sets them; `CF-Connecting-IP`, then
   * `X-Real-IP`, then the first `X-Forwarded-For` entry is used: only safe behind a proxy that
   * overwrites them (Cloudflare does). A number `n`: only the last `n` hops of
   * `X-Forwarded-For` were added by your proxies, so the `n`-th entry from the right is the
   * client, and no other header is read.
   */
  trustProxy?: boolean | number | undefined;
  /** The whole body must arrive within this many ms, else 408. Default 10000. */
  bodyTimeoutMs?: number | undefined;
}

/** What the runtime knows about the connection, as the handler's optional second argument. */
export interface PeerInfo {
  /** The peer address (Node's `socket.remoteAddress`). */
  remoteAddress?: string | undefined;
  /** Deno's `ServeHandlerInfo.remoteAddr`. */
  remoteAddr?: { hostname?: string | undefined } | undefined;
}

/**
 * A Fetch API request handler; `peer` is what the runtime says about the connection (a
 * `PeerInfo`; anything else is read as no address). It is typed loosely so that the
 * handler is also a Next.js route handler as it is (`export const POST = handler`): Next
 * passes its route context there, and both of its builds' route type checks accept the
 * handler only with a second parameter that takes it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TunnelHandler = (request: Request, peer?: any) => Promise<Response>;

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** The body read did not end before the deadline. */
const TIMED_OUT = Symbol("timed out");

const PASSED_BACK = ["retry-after", "x-sentry-rate-limits"];

/** Longest upstream answer passed back, in bytes (Sentry's is a short JSON object); a longer one is passed back without its body. */
const MAX_ANSWER_BYTES = 64 * 1024;

function plain(status: number, message: string, headers?: Record<string, string>): Response {
  return new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });
}

/**
 * The body; null when it is larger than `max` bytes, TIMED_OUT when it is not complete
 * `timeoutMs` after the read started (the stream is cancelled in both cases).
 */
async function readCapped(request: Request | Response, max: number, timeoutMs: number): Promise<Uint8Array | null | typeof TIMED_OUT> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > max) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === TIMED_OUT) {
        reader.cancel().catch(() => {});
        return TIMED_OUT;
      }
      const { done, value } = next;
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** `text` when it is an IP address (v4, v6 or v4-mapped v6; the URL parser checks v6). */
function ipOrUndefined(text: string | null | undefined): string | undefined {
  const ip = text?.trim();
  if (!ip || ip.length > 64) return undefined;
  if (/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(ip)) return ip;
  try {
    return ip.includes(":") && /^[0-9A-Fa-f.:]+$/.test(ip) && new URL(`http://[${ip}]/`) ? ip : undefined;
  } catch {
    return undefined;
  }
}

/** The peer address the runtime reported, if any. */
function peerIp(peer: PeerInfo | undefined): string | undefined {
  try {
    return ipOrUndefined(peer?.remoteAddress) ?? ipOrUndefined(peer?.remoteAddr?.hostname);
  } catch {
    return undefined;
  }
}

/**
 * The client's IP: from the proxy headers when they are trusted, else the peer's. With a
 * number of hops only `X-Forwarded-For` is read: a header the proxies do not set
 * themselves (`CF-Connecting-IP`, `X-Real-IP`) would be the client's own word.
 */
function clientIp(headers: Headers, trust: boolean | number, peer: PeerInfo | undefined): string | undefined {
  if (trust === false || trust === 0) return peerIp(peer);
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  if (trust !== true) return ipOrUndefined(hops[hops.length - trust]) ?? peerIp(peer);
  return ipOrUndefined(headers.get("cf-connecting-ip")) ?? ipOrUndefined(headers.get("x-real-ip")) ?? ipOrUndefined(hops[0]) ?? peerIp(peer);
}

/** Makes a handler with a given way of loading the core's DSN parser. */
export function createTunnelHandlerWith(options: TunnelOptions, loadParser: () => DsnParser | Promise<DsnParser>): TunnelHandler {
  const allowedDsns = options?.allowedDsns;
  if (!Array.isArray(allowedDsns) || allowedDsns.length === 0 || !allowedDsns.every((d) => typeof d === "string")) {
    throw new TypeError("createTunnelHandler: allowedDsns must be a non-empty array of DSN strings");
  }
  const max = typeof options.maxBodyBytes === "number" && options.maxBodyBytes >= 0 ? options.maxBodyBytes : DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = typeof options.timeoutMs === "number" && options.timeoutMs > 0 ? options.timeoutMs : 30_000;
  const bodyTimeoutMs =
    typeof options.bodyTimeoutMs === "number" && options.bodyTimeoutMs > 0 ? options.bodyTimeoutMs : DEFAULT_BODY_TIMEOUT_MS;
  const trust = options.trustProxy;
  const trustProxy: boolean | number =
    trust === true ? true : typeof trust === "number" && Number.isInteger(trust) && trust > 0 ? trust : false;
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

  return async (request, peer) => {
    let core: { parse: DsnParser; allowed: Set<string> };
    try {
      core = await ready();
    } catch (e) {
      return plain(500, `oxeye tunnel is misconfigured: ${e instanceof Error ? e.message : e}`);
    }
    if (request.method !== "POST") return plain(405, "envelopes are POSTed", { allow: "POST" });
    const encoding = request.headers.get("content-encoding");
    if (encoding && encoding.toLowerCase() !== "identity") return plain(415, "compressed envelopes are not relayed");
    const body = await readCapped(request, max, bodyTimeoutMs).catch(() => undefined);
    if (body === undefined) return plain(400, "the body could not be read");
    if (body === TIMED_OUT) return plain(408, `the body did not arrive within ${bodyTimeoutMs} ms`);
    if (body === null) return plain(413, `envelopes larger than ${max} bytes are not relayed`);
    const dsnText = envelopeHeader(body)?.dsn;
    if (typeof dsnText !== "string") return plain(400, "not an envelope naming its dsn");
    const dsn = core.parse(dsnText);
    if (!dsn.publicDsn || !dsn.envelopeUrl) return plain(400, `the envelope's dsn is invalid: ${dsn.error}`);
    if (!core.allowed.has(dsn.publicDsn)) return plain(403, "this dsn is not relayed here");

    const headers: Record<string, string> = { "content-type": "application/x-sentry-envelope" };
    const ip = clientIp(request.headers, trustProxy, peer);
    if (ip) headers["x-sentry-forwarded-for"] = ip;
    const ua = request.headers.get("user-agent");
    if (ua) headers["user-agent"] = ua;
    let upstream: Response;
    try {
      upstream = await doFetch(dsn.envelopeUrl, {
        method: "POST",
        body: body as BodyInit,
        headers,
        // A redirect is not followed: the DSN is what was allowed, not where it points.
        redirect: "manual",
        signal: typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(timeoutMs) : undefined,
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
      return plain(timedOut ? 504 : 502, timedOut ? "the upstream did not answer in time" : "the upstream could not be reached");
    }
    const status = upstream.status;
    if (status < 200 || status > 599 || (status >= 300 && status < 400)) {
      upstream.body?.cancel().catch(() => {});
      let to = "";
      try {
        to = ` to ${new URL(upstream.headers.get("location") ?? "", dsn.envelopeUrl).origin}`;
      } catch {
        /* no usable location */
      }
      return plain(502, status >= 300 && status < 400 ? `the upstream redirected${to}: give the DSN of the server's own address` : `the upstream answered ${status}`);
    }
    // The answer, if short (a long one is not passed on); none for the statuses that have none.
    const bodiless = status === 204 || status === 205;
    const answer = bodiless ? null : await readCapped(upstream, MAX_ANSWER_BYTES, timeoutMs).catch(() => null);
    const out = new Headers({ "content-type": upstream.headers.get("content-type") ?? "application/json" });
    for (const h of PASSED_BACK) {
      const v = upstream.headers.get(h);
      if (v !== null) out.set(h, v);
    }
    return new Response(answer instanceof Uint8Array ? (answer as BodyInit) : bodiless ? null : "", { status, headers: out });
  };
}

let loading: Promise<DsnParser> | undefined;

/** Makes the tunnel handler. Throws a TypeError when `allowedDsns` is not a non-empty list. */
export function createTunnelHandler(options: TunnelOptions): TunnelHandler {
  return createTunnelHandlerWith(
    options,
    () => (loading ??= loadWebCore()!.then(() => dsnParser())),
  );
}

/**
 * Requests made before the engine has loaded (browsers, on the critical path): a page's
 * start-up fetches, which would otherwise leave without trace or request id, before the
 * `load` event that the engine waits for. From `init` until the engine's `fetch`
 * instrumentation takes over, a request to a propagation target (`request-rules.ts`)
 * gets `sentry-trace` (and `traceparent` when asked for) with the page's trace, and a
 * request id, as the engine would add them; no `baggage`, whose sampling context the
 * core makes. The page's trace is the one its `sentry-trace` `<meta>` tag hands over
 * (when it is in the document by the first such request), else a new one; it and its
 * random bytes are handed to the engine (`early.trace`, `early.seed`), which goes on in
 * that trace, so the page's events share it. Each request is
 * noted, as it settles, in the client's queue: the engine then records its breadcrumb and
 * links the errors it caused, as for a request made later (`fetch.ts`, `early.request`).
 * The wrapper stays for the life of the page, passing calls straight through once the
 * engine records them or the client is closed. Nothing here throws into the app: a
 * failure sends the request as the app made it.
 */
import type { OxeyeClient } from "../api/client.js";
import { eventId, hex } from "../api/loader-util.js";
import { headersWith, isRequest, requestIdName, requestWith, shouldPropagate } from "./request-rules.js";
import { early } from "./early-crumbs.js";

let noting: OxeyeClient | undefined;

/** The page's trace ids, made at the first request that carries them (`early.trace`; in a worker, a new trace). */
function pageTrace(): [string, string] {
  if (!early.trace) {
    const seed = (early.seed = crypto.getRandomValues(new Uint8Array(28)));
    // Never all zeros (an invalid id), as the core would make them.
    seed[15] |= 1;
    seed[23] |= 1;
    const m = /^[ \t]*(?!0{32})([\da-f]{32})-(?!0{16})[\da-f]{16}(-[01])?[ \t]*$/.exec(globalThis.document?.querySelector('meta[name="sentry-trace"]')?.getAttribute("content") ?? "");
    early.trace = [(m?.[1] ?? hex(seed.subarray(0, 16))) + "-" + hex(seed.subarray(16, 24)), m?.[2] ?? ""];
  }
  return early.trace;
}

/** Starts noting `client`'s requests (the wrapper is installed once). */
export function noteEarlyRequests(client: OxeyeClient): void {
  if (noting) return void (noting = client);
  noting = client;
  early.pageTrace = pageTrace;
  const original = globalThis.fetch;
  if (typeof original != "function") return;
  // (Named and of length 1, as the browser's own, by a method's name, which minifiers keep;
  // the engine's instrumentation puts it out of the chain as it installs its own,
  // `EarlyNotes.fetch`.)
  early.fetch = [(globalThis.fetch = {
    fetch(this: unknown, input: RequestInfo | URL): Promise<Response> {
      // eslint-disable-next-line prefer-rest-params
      const init: RequestInit | undefined = arguments[1];
      const c = noting!;
      // eslint-disable-next-line prefer-rest-params
      if (c.closed || early.request) return original.apply(this, arguments as unknown as Parameters<typeof fetch>);
      const args: [unknown, RequestInit?] = [input, init];
      let sent = args;
      try {
        const o = c.options;
        const request = isRequest(input) ? (input as Request) : undefined;
        const targets = Array.isArray(o.tracePropagationTargets) ? o.tracePropagationTargets : undefined;
        if (
          // (A `no-cors` request's extra headers the browser drops by itself.)
          !(init as Record<symbol, unknown> | undefined)?.[Symbol.for("oxeye.own")] &&
          shouldPropagate(request ? request.url : String(input), targets, document.baseURI, location.href)
        ) {
          const headers = new Headers(init?.headers !== undefined ? init.headers : request?.headers);
          const added: [string, string][] = [];
          if (!headers.has("sentry-trace") && !headers.has("traceparent")) {
            const [ids, flag] = pageTrace();
            added.push(["sentry-trace", ids + flag]);
            if (o.propagateTraceparent === true) added.push(["traceparent", "00-" + ids + (flag == "-1" ? "-01" : "-00")]);
          }
          const name = requestIdName(o.requestIdHeader)[0];
          if (name && !headers.has(name)) added.push([name, eventId().replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-")]);
          // (An `init` other than a plain object, such as a class's instance, is sent as it is:
          // its members may be getters or inherited, which the engine copies and a spread
          // would not.)
          if (added.length)
            if (request) sent = [requestWith(input, init, added)];
            else if (!init || Object.getPrototypeOf(init) == Object.prototype) sent = [input, { ...init, headers: headersWith(init?.headers, added) }];
        }
      } catch {
        sent = args;
      }
      const started = Date.now();
      const done = (res?: Response, error?: unknown) => {
        const ended = Date.now();
        try {
          c.whenEngine(() => early.request?.(args, sent, started, ended, res, error));
        } catch {
          /* the request is the app's still */
        }
      };
      // eslint-disable-next-line prefer-rest-params
      return original.apply(this, (sent == args ? arguments : sent) as Parameters<typeof fetch>).then(
        (res) => (done(res), res),
        (e) => {
          done(undefined, e);
          throw e;
        },
      );
    },
  }.fetch), original];
}

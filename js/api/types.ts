/**
 * Public types of oxeye's JavaScript API: options, transport contract, events, scopes.
 * Types only; no runtime code.
 */
import type { Scope } from "./scope.js";

/** Severity of an event, as Sentry names them. */
export type SeverityLevel = "fatal" | "error" | "warning" | "log" | "info" | "debug";

/** One HTTP request the transport must make. */
export interface TransportRequest {
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Aborted when oxeye gives up on the request (its timeout); a transport should stop then. */
  signal?: AbortSignal | undefined;
  /** False when the request need not outlive the page (the fetch transport then skips `keepalive`). */
  keepalive?: boolean | undefined;
}

/** What the transport learned from the server. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
}

/**
 * Sends one envelope. Replaces the default fetch transport when given as `transport`.
 * Resolve with the server's status and headers (at least `x-sentry-rate-limits` and
 * `retry-after`, any case); reject when the request did not reach the server.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

// ---- Delivery options (buffer, retries, offline storage, Spotlight)

/** How envelopes are sent. */
export interface TransportOptions {
  /** Envelopes waiting or in flight at most (and as many session envelopes beside them); more are dropped as `queue_overflow`. Default 64. */
  bufferSize?: number | undefined;
  /** Extra attempts after a network error or a timeout (an answer, 5xx included, is never retried). Default 3. */
  maxRetries?: number | undefined;
  /** First retry delay in ms, doubled per attempt with jitter. Default 1000. */
  retryBaseMs?: number | undefined;
  /** Longest retry delay in ms. Default 30000. */
  retryMaxMs?: number | undefined;
  /** A request that takes longer is abandoned and counts as a network error. Default 30000. */
  timeoutMs?: number | undefined;
  /**
   * Error events sent at most per minute, after a first burst of half as many: in an error
   * storm the first events go out and the rest are dropped before they are built, counted
   * as `queue_overflow`. Default 60 in browsers (a page rarely has more to say, and each
   * request costs its main thread); unlimited in Node, Workers and edge runtimes. `Infinity`
   * turns it off.
   */
  maxEventsPerMinute?: number | undefined;
}

/** One envelope kept while the network is down. Its `sent_at` is stamped again when it is sent. */
export interface StoredEnvelope {
  url: string;
  body: Uint8Array;
  /** Data category of its items (the core's `Category` value) and how many, for client reports. */
  category: number;
  quantity: number;
  /** Date.now() when it was stored. */
  savedAt: number;
  /** What log lines call it (e.g. `event <id>`). */
  label?: string | undefined;
  /** Date.now() when a store with `remove` last handed it out. */
  takenAt?: number | undefined;
}

/**
 * Where envelopes wait while the network is down (IndexedDB in browsers by default).
 * The store enforces its own bounds and returns what it could not keep.
 */
export interface OfflineStore {
  /** Keeps `entry`; resolves with the entries dropped: `entry` itself when full, and expired ones. */
  push(entry: StoredEnvelope): Promise<StoredEnvelope[]>;
  /**
   * Hands out up to `max` of the oldest entries for sending, plus the expired ones it
   * dropped. A store without `remove` removes what it hands out at once; one with `remove`
   * keeps it until `remove`, and hands it out again only after a while (the page that took
   * it may have gone away before sending it). With `url`, only entries for that URL are
   * handed out (apps on one origin that report to different projects share the store).
   */
  take(max: number, url?: string): Promise<{ entries: StoredEnvelope[]; dropped: StoredEnvelope[] }>;
  /** Removes entries `take` handed out, once they are sent or accounted for. */
  remove?(entries: StoredEnvelope[]): Promise<void>;
  /**
   * Removes every entry for `url` (every entry without one), handed out or not
   * (`close({ discard: true })`). Without it, the entries are taken and removed.
   */
  clear?(url?: string): Promise<void>;
  /** How many entries are kept. */
  size(): Promise<number>;
}

/** Bounds of the offline store. */
export interface OfflineOptions {
  /** Default 30 envelopes. */
  maxEntries?: number | undefined;
  /** Default 1 MiB of envelope bytes. */
  maxBytes?: number | undefined;
  /** Older envelopes are dropped. Default 3 days. */
  maxAgeMs?: number | undefined;
  /** A store of your own (e.g. for Node); default IndexedDB where it exists. */
  store?: OfflineStore | undefined;
}
// ---- end of delivery options

/** How an error was captured. */
export interface Mechanism {
  type: string;
  handled?: boolean | undefined;
}

/** The user an event concerns. */
export interface User {
  id?: string | number | undefined;
  email?: string | undefined;
  username?: string | undefined;
  ip_address?: string | undefined;
  [key: string]: unknown;
}

/** A breadcrumb: something that happened before an event. */
export interface Breadcrumb {
  type?: string | undefined;
  category?: string | undefined;
  message?: string | undefined;
  level?: SeverityLevel | undefined;
  data?: Record<string, unknown> | undefined;
  /** Unix seconds; filled in when missing. */
  timestamp?: number | undefined;
}

/**
 * Extra facts about a breadcrumb for `beforeBreadcrumb`, as Sentry's SDKs give them: for a
 * click `{ event }` (the DOM event), for fetch `{ input, response, data, startTimestamp,
 * endTimestamp }`, for XHR `{ xhr, input, … }`, for the console `{ input, level }`. Typed
 * loosely, as Sentry's is, so that `hint?.event?.target` reads without a cast.
 */
export type BreadcrumbHint = { [key: string]: any };

/** One frame of a stack trace (frames are listed oldest first, the protocol's order). */
export interface StackFrame {
  filename?: string | undefined;
  abs_path?: string | undefined;
  function?: string | undefined;
  module?: string | undefined;
  lineno?: number | undefined;
  colno?: number | undefined;
  in_app?: boolean | undefined;
  platform?: string | undefined;
  context_line?: string | undefined;
  pre_context?: string[] | undefined;
  post_context?: string[] | undefined;
  vars?: Record<string, unknown> | undefined;
  [key: string]: unknown;
}

/** One exception of an event: the error captured, or one it links to (`cause`, listed before it). */
export interface ExceptionValue {
  type?: string | undefined;
  value?: string | undefined;
  module?: string | undefined;
  mechanism?: { type?: string | undefined; handled?: boolean | undefined; [key: string]: unknown } | undefined;
  stacktrace?: { frames?: StackFrame[] | undefined; [key: string]: unknown } | undefined;
  [key: string]: unknown;
}

/** The request an event happened in: the page (browsers) or the request handled (servers). */
export interface RequestData {
  url?: string | undefined;
  method?: string | undefined;
  headers?: Record<string, string> | undefined;
  query_string?: string | undefined;
  cookies?: string | Record<string, string> | undefined;
  data?: unknown;
  env?: Record<string, string> | undefined;
  [key: string]: unknown;
}

/**
 * A Sentry event, as given to `captureEvent` and seen by processors and `beforeSend`: the
 * protocol's fields, each optional (an event has only those it needs), and any other.
 */
export interface SentryEvent {
  event_id?: string | undefined;
  /** Unix seconds, or an RFC 3339 text. */
  timestamp?: number | string | undefined;
  level?: SeverityLevel | undefined;
  platform?: string | undefined;
  logger?: string | undefined;
  server_name?: string | undefined;
  release?: string | undefined;
  dist?: string | undefined;
  environment?: string | undefined;
  transaction?: string | undefined;
  /** A message event's text (sent as `logentry.formatted`); absent on error events. */
  message?: string | undefined;
  logentry?: { message?: string | undefined; formatted?: string | undefined; params?: unknown[] | undefined } | undefined;
  exception?: { values?: ExceptionValue[] | undefined } | undefined;
  /** Oldest first; absent when there are none. */
  breadcrumbs?: Breadcrumb[] | undefined;
  user?: User | undefined;
  tags?: Record<string, unknown> | undefined;
  extra?: Record<string, unknown> | undefined;
  contexts?: Record<string, Record<string, unknown> | undefined> | undefined;
  request?: RequestData | undefined;
  fingerprint?: string[] | undefined;
  [key: string]: unknown;
}

/** Data for one capture, and what processors and `beforeSend` receive as `hint`. */
export interface EventHint {
  mechanism?: Mechanism | undefined;
  level?: SeverityLevel | undefined;
  tags?: Record<string, unknown> | undefined;
  extra?: Record<string, unknown> | undefined;
  contexts?: Record<string, Record<string, unknown>> | undefined;
  user?: User | undefined;
  fingerprint?: string[] | undefined;
  /** The value that was captured, as given. */
  originalException?: unknown | undefined;
  /** The event's id, 32 lowercase hex digits (a UUID without dashes); a new one when missing or not so. */
  event_id?: string | undefined;
  /** Sentry's capture context: a `CaptureContext` function, or scope data to add (as the fields above). */
  captureContext?: CaptureContext | ScopeData | undefined;
  [key: string]: unknown;
}

/**
 * Sentry's capture context, given to `captureException` or `captureMessage` in place of a
 * hint (or as its `captureContext`): a function that gets a fork of the current scope for
 * that capture alone, to set its data (what it returns is not read).
 */
export type CaptureContext = (scope: Scope) => unknown;

/** What `close` takes instead of a timeout. */
export interface CloseOptions {
  /**
   * Stop at once and send nothing more: what is not yet sent, and what the offline store
   * keeps for this client, is dropped (a user who withdraws consent). Without it, `close`
   * first delivers what was captured.
   */
  discard?: boolean | undefined;
  /** How long `close` waits for delivery, without `discard` (default 2000 ms). */
  timeoutMs?: number | undefined;
}

/** Sees (and may change or drop, by returning null) every event before it is sent. */
export type EventProcessor = (event: SentryEvent, hint: EventHint) => SentryEvent | null | PromiseLike<SentryEvent | null>;

/** Data applied to the isolation scope at `init`. */
export interface ScopeData {
  tags?: Record<string, unknown> | undefined;
  extra?: Record<string, unknown> | undefined;
  contexts?: Record<string, Record<string, unknown>> | undefined;
  user?: User | undefined;
  level?: SeverityLevel | undefined;
  fingerprint?: string[] | undefined;
}

/** A pattern for `ignoreErrors`, `denyUrls`, `allowUrls`: a substring or a RegExp. */
export type Pattern = string | RegExp;

/** Per-environment defaults (see `environments`). */
export interface EnvironmentDefaults {
  sampleRate?: number | undefined;
  debug?: boolean | undefined;
  enabled?: boolean | undefined;
  maxBreadcrumbs?: number | undefined;
  sendDefaultPii?: boolean | undefined;
}

/**
 * An app-defined value rule: `prefix` followed by at least `minLength` characters from
 * `chars` (e.g. `"A-Za-z0-9_-"`) is replaced by `replacement` (default `[Filtered]`).
 */
export interface ScrubValueRule {
  /** Letters, digits, `_`, `-`; names the rule in `_meta` (`!oxeye:custom:<name>`). */
  name: string;
  prefix: string;
  chars?: string | undefined;
  minLength?: number | undefined;
  ignoreCase?: boolean | undefined;
  replacement?: string | undefined;
}

/** On-device PII scrubbing options (all optional; see the README). */
export interface ScrubOptions {
  /** Extra sensitive key names, matched like the built-in ones (case and separators ignored, anywhere in a key). */
  keys?: string[] | undefined;
  /** Key names whose values are never filtered because of their name (value rules still apply). */
  safeKeys?: string[] | undefined;
  /** Extra value rules. */
  values?: ScrubValueRule[] | undefined;
  /** Replace IP addresses and drop `user.ip_address`. Default: `!sendDefaultPii`. */
  ip?: boolean | undefined;
  /** Replace emails everywhere (`true`), nowhere (`false`), or in log messages and exception values only (`"messages"`, the default). */
  email?: boolean | "messages" | undefined;
}

/** The current trace as outgoing headers (`getTraceData()`); a type, not an interface, so `Object.entries` and `new Headers` see string values. */
export type TraceData = {
  "sentry-trace"?: string;
  baggage?: string;
  /** Only with `propagateTraceparent`. */
  traceparent?: string;
};

/** Which breadcrumbs are recorded automatically (`init` only). */
export interface BreadcrumbOptions {
  /** Console calls; `true` for every level, or the levels to record (e.g. `["warn", "error"]`). */
  console?: boolean | Array<"debug" | "info" | "warn" | "error" | "log" | "assert" | "trace"> | undefined;
  /** `fetch` requests: method, URL with secrets removed, status, duration, request id. */
  fetch?: boolean | undefined;
  /** `XMLHttpRequest`s, as for `fetch`. */
  xhr?: boolean | undefined;
  /** Navigation (`pushState`, `replaceState`, back/forward): from, to. */
  history?: boolean | undefined;
  /** Clicks, as a short CSS-like selector of the element (never its text). */
  dom?: boolean | undefined;
}

/** Options accepted by `init` and `createClient`. */
export interface Options {
  /** Where events go. Missing or empty: the SDK is off. Invalid: off, with `client.dsnError` saying why. */
  dsn?: string | undefined;
  release?: string | undefined;
  /** Given, else `SENTRY_ENVIRONMENT`, else detected from the host name. */
  environment?: string | undefined;
  /** Logs every decision the SDK takes to the console. */
  debug?: boolean | undefined;
  /** `false` turns the SDK off without removing its calls. */
  enabled?: boolean | undefined;
  /** Share of error events sent, from 0 to 1 (default 1). */
  sampleRate?: number | undefined;
  /** Breadcrumbs kept (default 100; 0 turns them off). */
  maxBreadcrumbs?: number | undefined;
  /** Sees every breadcrumb before it is stored; return null to drop it. */
  beforeBreadcrumb?: ((breadcrumb: Breadcrumb, hint?: BreadcrumbHint) => Breadcrumb | null) | undefined;
  /** Sees every event last; may change it or drop it (null). May be async. */
  beforeSend?: EventProcessor | undefined;
  /** Errors whose message contains one of these strings (or matches a RegExp) are not sent. */
  ignoreErrors?: Pattern[] | undefined;
  /** Errors thrown from scripts whose URL matches are not sent. */
  denyUrls?: Pattern[] | undefined;
  /** When set, only errors from scripts whose URL matches are sent. */
  allowUrls?: Pattern[] | undefined;
  /** Drop known browser noise ("Script error.", ResizeObserver loops, …). Default true. */
  ignoreBrowserNoise?: boolean | undefined;
  /** HTTP statuses of errors that are not sent: codes or `[from, to]` ranges. Default `[[400, 499]]`. */
  ignoreHttpStatus?: Array<number | [number, number]> | undefined;
  /** Drop an error identical to the previous one. Default true. */
  dedupe?: boolean | undefined;
  /** How many `cause` / `AggregateError` members to follow. Default 5. */
  maxLinkedErrors?: number | undefined;
  /** Levels of user data (extras, contexts, user, breadcrumb data) kept below their container. Default 3. */
  normalizeDepth?: number | undefined;
  /** Data for the isolation scope at start. */
  initialScope?: ScopeData | undefined;
  /** Variables to read `SENTRY_*` settings from (Node reads `process.env` by itself). */
  env?: Record<string, unknown> | undefined;
  /** Defaults per environment, e.g. `{ development: { debug: true }, production: { sampleRate: 0.2 } }`. */
  environments?: Record<string, EnvironmentDefaults> | undefined;
  /** Host name used to detect the environment (browsers use the page's). */
  hostname?: string | undefined;
  /** Send counts of dropped events to the server as client reports. Default true. */
  sendClientReports?: boolean | undefined;
  /**
   * Release health in browsers: one session per page view and history navigation, marked
   * errored or crashed by error events, ended when the page is hidden. Needs `release`.
   * Default true; `false` sends no sessions.
   */
  autoSessionTracking?: boolean | undefined;
  /** Replaces the default fetch transport. */
  transport?: Transport | undefined;
  /** Send envelopes to this URL instead of the DSN's endpoint (the envelope then names its DSN). */
  tunnel?: string | undefined;
  // ---- Delivery options
  /** How often pending client reports are sent, in ms. Default 60000. */
  clientReportFlushInterval?: number | undefined;
  /** Buffer size, retries and timeouts of delivery. */
  transportOptions?: TransportOptions | undefined;
  /** Keep envelopes while the network is down and send them when it is back. Default on where IndexedDB exists. */
  offline?: boolean | OfflineOptions | undefined;
  /** Also post a copy of every envelope to a Spotlight sidecar: `true` for `http://localhost:8969/stream`, or its URL. */
  spotlight?: boolean | string | undefined;
  // ---- end of delivery options
  /**
   * Keep personal data filtered by default: IP addresses (and, in browsers, let the server
   * record the sender's IP) and ordinary cookies. Secrets are scrubbed either way. Default `false`.
   */
  sendDefaultPii?: boolean | undefined;
  /** On-device scrubbing rules; `false` turns scrubbing off. Invalid values disable the client (`client.scrubError`). */
  scrub?: boolean | ScrubOptions | undefined;
  /**
   * Install global handlers for uncaught errors and unhandled rejections. Default: on in
   * browsers, off in Node (opt in there), never in Workers.
   */
  globalHandlers?: boolean | undefined;

  // ---- trace propagation and request correlation ----
  /**
   * Outgoing requests whose URL matches get `sentry-trace`, `baggage` and the request id
   * header: strings match as substrings, or RegExps. Default: same origin as the page
   * only (Node: none). `[]` turns propagation off.
   */
  tracePropagationTargets?: Pattern[] | undefined;
  /** Also send W3C `traceparent`. Default false. */
  propagateTraceparent?: boolean | undefined;
  /** Request id header added to propagated requests (a fresh id per request unless the app set one). Default `"X-Request-ID"`; `false` sends none. */
  requestIdHeader?: string | false | undefined;
  /** Response headers naming the backend's request id, first found wins. Default `["X-Request-ID"]`. */
  requestIdResponseHeaders?: string[] | undefined;
  /** Automatic breadcrumbs; each on by default in browsers, off in Node. `false` turns all off. */
  breadcrumbs?: BreadcrumbOptions | boolean | undefined;
  /** Organisation id for the DSC (else read from the DSN host). */
  orgId?: string | number | undefined;
  /** Continue an incoming trace only when its org id matches on both sides. Default false. */
  strictTraceContinuation?: boolean | undefined;
}

/* tslint:disable */
/* eslint-disable */

/**
 * A data category of rate limits and client reports.
 */
export enum Category {
    /**
     * `error`: error and message events.
     */
    Error = 0,
    /**
     * `default`: events without a more specific category.
     */
    Default = 1,
    /**
     * `transaction`
     */
    Transaction = 2,
    /**
     * `attachment`
     */
    Attachment = 3,
    /**
     * `session`: sessions and session aggregates.
     */
    Session = 4,
    /**
     * `internal`: client reports.
     */
    Internal = 5,
    /**
     * `span`
     */
    Span = 6,
    /**
     * `replay`
     */
    Replay = 7,
    /**
     * `profile`
     */
    Profile = 8,
    /**
     * `monitor`: cron check-ins.
     */
    Monitor = 9,
    /**
     * `feedback`
     */
    Feedback = 10,
    /**
     * `log_item`
     */
    LogItem = 11,
}

/**
 * One oxeye client as seen from JavaScript.
 */
export class Core {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Adds a breadcrumb (JSON text) to a scope.
     */
    addBreadcrumb(id: number, crumb_json: string, now_ms: number): void;
    /**
     * Runs the pipeline on CaptureInput JSON, as UTF-8 bytes (see `pipeline/mod.rs`). The
     * host encodes it with `TextEncoder`, natively, rather than through the glue's
     * per-character string copy; text that is not UTF-8 is a counted `internal_sdk_error`.
     */
    capture(input: Uint8Array | number[], current: number, isolation: number, global: number, now_ms: number, random: Uint8Array | number[], hand_back: boolean): Verdict;
    /**
     * Continues (or restarts) the trace of scope `id` from incoming headers.
     */
    continueTrace(id: number, sentry_trace: string | null | undefined, baggage: string | null | undefined, traceparent: string | null | undefined, random: Uint8Array | number[]): boolean;
    /**
     * The host dropped an event it held (counted with `reason`).
     */
    dropPending(event_id: string, reason: Reason): void;
    /**
     * Forgets a scope.
     */
    dropScope(id: number): void;
    /**
     * Ends the running page-view session (`exited` unless something went wrong).
     */
    endSession(now_ms: number): void;
    /**
     * Stages 8–9 for an event the host ran its stages on.
     */
    finish(event_id: string, event_json: string, now_ms: number): Verdict;
    /**
     * Makes scope `to` a copy of scope `from`.
     */
    forkScope(from: number, to: number): void;
    /**
     * True while items of `category` must not be sent.
     */
    isRateLimited(category: Category, now_ms: number): boolean;
    /**
     * Builds a client from the options' JSON text. Never throws: bad values are listed
     * in `optionErrors`.
     */
    constructor(options_json: string);
    /**
     * Reads a response to an envelope and updates the rate limits.
     */
    onResponse(status: number, rate_limits: string | null | undefined, retry_after: string | null | undefined, now_ms: number): Response;
    /**
     * Parses a DSN with the core's parser.
     */
    static parseDsn(text: string): ParsedDsn;
    /**
     * Counts discarded items for the next client report.
     */
    recordOutcome(reason: Reason, category: Category, quantity: number): void;
    /**
     * Counts a server request handled in isolation scope `isolation` that ended now:
     * the worse of `status` and the error events sent from that scope.
     */
    recordRequestSession(isolation: number, status: RequestSessionStatus, now_ms: number): void;
    /**
     * Applies a scope setter; `value_json` is JSON text.
     */
    scopeSet(id: number, op: ScopeOp, key?: string | null, value_json?: string | null): void;
    /**
     * Starts a page-view session for isolation scope `isolation` (its user id is the
     * session's `did`), ending the running one; `random` needs 16 bytes. False when no
     * session can be sent (`sessionError` says why) or the SDK is off.
     */
    startSession(isolation: number, now_ms: number, random: Uint8Array | number[]): boolean;
    /**
     * The pending counts as a client-report envelope (category Internal, quantity 1).
     */
    takeClientReport(now_ms: number): Uint8Array | undefined;
    /**
     * The request aggregates waiting as an envelope with one `sessions` item (then
     * `category` is Session and `quantity` 1); undefined when there are none.
     */
    takeSessionAggregates(now_ms: number): Uint8Array | undefined;
    /**
     * The session updates waiting to be sent as one envelope (then `category` is
     * Session and `quantity` the number of updates); undefined when there are none.
     */
    takeSessionEnvelope(now_ms: number): Uint8Array | undefined;
    /**
     * Trace headers for an outgoing request; read them from `sentryTrace`, `baggage`
     * and `traceparent` after `true`.
     */
    traceHeaders(isolation: number, existing_baggage: string | null | undefined, random: Uint8Array | number[]): boolean;
    /**
     * `baggage` of the last `traceHeaders`.
     */
    readonly baggage: string;
    /**
     * Data category of the last envelope.
     */
    readonly category: Category;
    /**
     * `debug` as resolved.
     */
    readonly debug: boolean;
    /**
     * A sentence about the last drop, for debug logging.
     */
    readonly detail: string;
    /**
     * Why the SDK is off, when it is.
     */
    readonly disabledReason: string | undefined;
    /**
     * Why the DSN was rejected.
     */
    readonly dsnError: string | undefined;
    /**
     * The last envelope (taken: a second read gives `undefined`).
     */
    readonly envelope: Uint8Array | undefined;
    /**
     * The environment as resolved (given or detected).
     */
    readonly environment: string;
    /**
     * The event handed to the host (JSON text, scrubbed).
     */
    readonly event: string | undefined;
    /**
     * `maxBreadcrumbs`, clamped to Sentry's maximum of 100.
     */
    readonly maxBreadcrumbs: number;
    /**
     * One sentence per rejected option value.
     */
    readonly optionErrors: string[];
    /**
     * Item count of the last envelope.
     */
    readonly quantity: number;
    /**
     * Random bytes one capture needs.
     */
    readonly randomBytes: number;
    /**
     * Why the last capture was dropped.
     */
    readonly reason: Reason;
    /**
     * The release as resolved.
     */
    readonly release: string | undefined;
    /**
     * Why the `scrub` option was rejected (the client is then disabled).
     */
    readonly scrubError: string | undefined;
    /**
     * `sentry-trace` of the last `traceHeaders`.
     */
    readonly sentryTrace: string;
    /**
     * Why no session can be sent (no or an invalid `release`), else undefined.
     */
    readonly sessionError: string | undefined;
    /**
     * `{"messages":[…],"url":…}` for the host's RegExp filters.
     */
    readonly subjects: string | undefined;
    /**
     * `traceparent` of the last `traceHeaders`.
     */
    readonly traceparent: string;
    /**
     * Where envelopes are posted.
     */
    readonly url: string | undefined;
    /**
     * The SDK version.
     */
    readonly version: string;
}

/**
 * A DSN as the core reads it.
 */
export class ParsedDsn {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The envelope endpoint with query-string auth.
     */
    get envelopeUrl(): string | undefined;
    /**
     * The envelope endpoint with query-string auth.
     */
    set envelopeUrl(value: string | null | undefined);
    /**
     * Why the DSN was rejected.
     */
    get error(): string | undefined;
    /**
     * Why the DSN was rejected.
     */
    set error(value: string | null | undefined);
    /**
     * The DSN without its secret.
     */
    get publicDsn(): string | undefined;
    /**
     * The DSN without its secret.
     */
    set publicDsn(value: string | null | undefined);
}

/**
 * Why an event or item was not sent (Sentry's client-report discard reasons).
 */
export enum Reason {
    /**
     * `queue_overflow`: the send queue was full.
     */
    QueueOverflow = 0,
    /**
     * `cache_overflow`: the offline store was full.
     */
    CacheOverflow = 1,
    /**
     * `ratelimit_backoff`: a rate limit announced by the server was active.
     */
    RatelimitBackoff = 2,
    /**
     * `network_error`: the request failed.
     */
    NetworkError = 3,
    /**
     * `sample_rate`: sampled out by `sampleRate`.
     */
    SampleRate = 4,
    /**
     * `before_send`: `beforeSend` returned null.
     */
    BeforeSend = 5,
    /**
     * `event_processor`: an event processor, inbound filter or dedupe dropped it.
     */
    EventProcessor = 6,
    /**
     * `send_error`: the server rejected it.
     */
    SendError = 7,
    /**
     * `buffer_overflow`: an internal buffer was full.
     */
    BufferOverflow = 8,
    /**
     * `internal_sdk_error`: the SDK failed.
     */
    InternalSdkError = 9,
    /**
     * Not a Sentry reason: the SDK is off. Never counted.
     */
    Disabled = 10,
}

/**
 * How one server request ended (request-mode sessions); crosses the boundary as a number.
 */
export enum RequestSessionStatus {
    /**
     * Handled without an error event: counted as `exited`.
     */
    Exited = 0,
    /**
     * An error event was captured while handling it.
     */
    Errored = 1,
    /**
     * An unhandled error ended it.
     */
    Crashed = 2,
}

/**
 * What a response means for the envelope it answered.
 */
export enum Response {
    /**
     * 2xx: delivered.
     */
    Delivered = 0,
    /**
     * 5xx: the server failed; the envelope may be sent again.
     */
    Retry = 1,
    /**
     * 429: dropped, never retried, and not reported (the server counts it itself).
     */
    RateLimited = 2,
    /**
     * 413: too large; dropped as `send_error`, never retried.
     */
    TooLarge = 3,
    /**
     * Any other status: dropped as `send_error`, never retried.
     */
    Rejected = 4,
}

/**
 * A scope setter, as the host names it.
 */
export enum ScopeOp {
    /**
     * `setTag(key, value)`.
     */
    SetTag = 0,
    /**
     * `setTags({…})`.
     */
    SetTags = 1,
    /**
     * `setExtra(key, value)`; null removes.
     */
    SetExtra = 2,
    /**
     * `setExtras({…})`.
     */
    SetExtras = 3,
    /**
     * `setContext(key, value)`; null removes.
     */
    SetContext = 4,
    /**
     * `setUser(user)`; null clears.
     */
    SetUser = 5,
    /**
     * `setLevel("warning")`.
     */
    SetLevel = 6,
    /**
     * `setFingerprint([…])`.
     */
    SetFingerprint = 7,
    /**
     * `setTransactionName(name)`.
     */
    SetTransactionName = 8,
    /**
     * `clearBreadcrumbs()`.
     */
    ClearBreadcrumbs = 9,
    /**
     * `clear()`.
     */
    Clear = 10,
}

/**
 * What became of a capture or `finish`.
 */
export enum Verdict {
    /**
     * `envelope`, `category` and `quantity` hold the result.
     */
    Send = 0,
    /**
     * `reason` and `detail` say why nothing is sent.
     */
    Drop = 1,
    /**
     * The host runs its stages on `event` (and RegExp filters on `subjects`).
     */
    Host = 2,
}

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_core_free: (a: number, b: number) => void;
    readonly __wbg_get_parseddsn_envelopeUrl: (a: number) => [number, number];
    readonly __wbg_get_parseddsn_error: (a: number) => [number, number];
    readonly __wbg_get_parseddsn_publicDsn: (a: number) => [number, number];
    readonly __wbg_parseddsn_free: (a: number, b: number) => void;
    readonly __wbg_set_parseddsn_envelopeUrl: (a: number, b: number, c: number) => void;
    readonly __wbg_set_parseddsn_error: (a: number, b: number, c: number) => void;
    readonly __wbg_set_parseddsn_publicDsn: (a: number, b: number, c: number) => void;
    readonly core_addBreadcrumb: (a: number, b: number, c: number, d: number, e: number) => void;
    readonly core_baggage: (a: number) => [number, number];
    readonly core_capture: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number) => number;
    readonly core_category: (a: number) => number;
    readonly core_continueTrace: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number) => number;
    readonly core_debug: (a: number) => number;
    readonly core_detail: (a: number) => [number, number];
    readonly core_disabledReason: (a: number) => [number, number];
    readonly core_dropPending: (a: number, b: number, c: number, d: number) => void;
    readonly core_dropScope: (a: number, b: number) => void;
    readonly core_dsnError: (a: number) => [number, number];
    readonly core_endSession: (a: number, b: number) => void;
    readonly core_envelope: (a: number) => [number, number];
    readonly core_environment: (a: number) => [number, number];
    readonly core_event: (a: number) => [number, number];
    readonly core_finish: (a: number, b: number, c: number, d: number, e: number, f: number) => number;
    readonly core_forkScope: (a: number, b: number, c: number) => void;
    readonly core_isRateLimited: (a: number, b: number, c: number) => number;
    readonly core_maxBreadcrumbs: (a: number) => number;
    readonly core_new: (a: number, b: number) => number;
    readonly core_onResponse: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => number;
    readonly core_optionErrors: (a: number) => [number, number];
    readonly core_parseDsn: (a: number, b: number) => number;
    readonly core_quantity: (a: number) => number;
    readonly core_randomBytes: (a: number) => number;
    readonly core_reason: (a: number) => number;
    readonly core_recordOutcome: (a: number, b: number, c: number, d: number) => void;
    readonly core_recordRequestSession: (a: number, b: number, c: number, d: number) => void;
    readonly core_release: (a: number) => [number, number];
    readonly core_scopeSet: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => void;
    readonly core_scrubError: (a: number) => [number, number];
    readonly core_sentryTrace: (a: number) => [number, number];
    readonly core_sessionError: (a: number) => [number, number];
    readonly core_startSession: (a: number, b: number, c: number, d: number, e: number) => number;
    readonly core_subjects: (a: number) => [number, number];
    readonly core_takeClientReport: (a: number, b: number) => [number, number];
    readonly core_takeSessionAggregates: (a: number, b: number) => [number, number];
    readonly core_takeSessionEnvelope: (a: number, b: number) => [number, number];
    readonly core_traceHeaders: (a: number, b: number, c: number, d: number, e: number, f: number) => number;
    readonly core_traceparent: (a: number) => [number, number];
    readonly core_url: (a: number) => [number, number];
    readonly core_version: (a: number) => [number, number];
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __externref_drop_slice: (a: number, b: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;

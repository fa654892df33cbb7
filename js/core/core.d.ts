/* The Rust↔JS boundary as the shim sees it: a hand-written declaration of the wasm-bindgen
 * glue (`src/bindings.rs`), committed so that a fresh clone type-checks `js/` without a
 * build. `scripts/check-core-dts.mjs` fails when it disagrees with the generated
 * `pkg/oxeye.d.ts`. Only `js/core/` imports this module. At run time it is the glue
 * itself, copied to `dist/core/core.js` by the build. */

/** Client-report discard reasons (Sentry's wire names are written by the core). */
export enum Reason {
  QueueOverflow = 0,
  CacheOverflow = 1,
  RatelimitBackoff = 2,
  NetworkError = 3,
  SampleRate = 4,
  BeforeSend = 5,
  EventProcessor = 6,
  SendError = 7,
  BufferOverflow = 8,
  InternalSdkError = 9,
  Disabled = 10,
}

/** Data categories (rate limits and client reports). */
export enum Category {
  Error = 0,
  Default = 1,
  Transaction = 2,
  Attachment = 3,
  Session = 4,
  Internal = 5,
  Span = 6,
  Replay = 7,
  Profile = 8,
  Monitor = 9,
  Feedback = 10,
  LogItem = 11,
}

/** Scope setters. */
export enum ScopeOp {
  SetTag = 0,
  SetTags = 1,
  SetExtra = 2,
  SetExtras = 3,
  SetContext = 4,
  SetUser = 5,
  SetLevel = 6,
  SetFingerprint = 7,
  SetTransactionName = 8,
  ClearBreadcrumbs = 9,
  Clear = 10,
}

/** The result of `capture` / `finish`. */
export enum Verdict {
  Send = 0,
  Drop = 1,
  Host = 2,
}

/** What the server's answer to an envelope means. */
export enum Response {
  Delivered = 0,
  Retry = 1,
  RateLimited = 2,
  TooLarge = 3,
  Rejected = 4,
}

/** How a server request ended (request-mode sessions). */
export enum RequestSessionStatus {
  Exited = 0,
  Errored = 1,
  Crashed = 2,
}

/** A DSN as the core's parser reads it. */
export class ParsedDsn {
  private constructor();
  free(): void;
  [Symbol.dispose](): void;
  get publicDsn(): string | undefined;
  set publicDsn(value: string | null | undefined);
  get envelopeUrl(): string | undefined;
  set envelopeUrl(value: string | null | undefined);
  get error(): string | undefined;
  set error(value: string | null | undefined);
}

/** One oxeye client's core. */
export class Core {
  free(): void;
  [Symbol.dispose](): void;
  constructor(options_json: string);
  readonly dsnError: string | undefined;
  readonly scrubError: string | undefined;
  readonly optionErrors: string[];
  readonly disabledReason: string | undefined;
  readonly url: string | undefined;
  readonly debug: boolean;
  readonly environment: string;
  readonly release: string | undefined;
  readonly maxBreadcrumbs: number;
  readonly randomBytes: number;
  readonly version: string;

  capture(input: Uint8Array, current: number, isolation: number, global: number, now_ms: number, random: Uint8Array, hand_back: boolean): Verdict;
  finish(event_id: string, event_json: string, now_ms: number): Verdict;
  dropPending(event_id: string, reason: Reason): void;
  readonly envelope: Uint8Array | undefined;
  readonly category: Category;
  readonly quantity: number;
  readonly reason: Reason;
  readonly detail: string;
  readonly event: string | undefined;
  readonly subjects: string | undefined;

  forkScope(from: number, to: number): void;
  dropScope(id: number): void;
  scopeSet(id: number, op: ScopeOp, key?: string | null, value_json?: string | null): void;
  addBreadcrumb(id: number, crumb_json: string, now_ms: number): void;

  onResponse(status: number, rate_limits: string | null | undefined, retry_after: string | null | undefined, now_ms: number): Response;
  isRateLimited(category: Category, now_ms: number): boolean;
  recordOutcome(reason: Reason, category: Category, quantity: number): void;
  takeClientReport(now_ms: number): Uint8Array | undefined;

  traceHeaders(isolation: number, existing_baggage: string | null | undefined, random: Uint8Array): boolean;
  readonly sentryTrace: string;
  readonly baggage: string;
  readonly traceparent: string;
  continueTrace(id: number, sentry_trace: string | null | undefined, baggage: string | null | undefined, traceparent: string | null | undefined, random: Uint8Array): boolean;

  // release health (src/session.rs); envelopes: then `category` (Session) and `quantity`
  readonly sessionError: string | undefined;
  startSession(isolation: number, now_ms: number, random: Uint8Array): boolean;
  endSession(now_ms: number): void;
  takeSessionEnvelope(now_ms: number): Uint8Array | undefined;
  recordRequestSession(isolation: number, status: RequestSessionStatus, now_ms: number): void;
  takeSessionAggregates(now_ms: number): Uint8Array | undefined;

  static parseDsn(text: string): ParsedDsn;
}

// `globalThis.Response`: the enum `Response` above shadows the fetch type in this module.
export type InitInput = RequestInfo | URL | globalThis.Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;

/** Instantiates the wasm from a compiled module or its bytes. */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): unknown;

/** Instantiates the wasm, streaming when given a fetch `Response` (or a promise of one). */
export default function __wbg_init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;

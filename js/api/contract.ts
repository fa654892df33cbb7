/**
 * The contract between the client (`client.ts`, on the critical path), the engine it loads
 * (`engine.ts`) and the platform entries (`entrypoints/`): what a capture carries to the
 * engine, what the engine offers back, and what each runtime provides. Types only.
 */
import type { BreadcrumbHint, Breadcrumb, EventHint, EventProcessor, Options, SentryEvent, SeverityLevel, TraceData } from "./types.js";
import type { Scope, ScopeOpName } from "./scope.js";
import type { Core } from "../core/enums.js";
import type { IncomingTrace } from "./trace.js";
import type { RequestSessions } from "./sessions.js";
import type { OxeyeClient } from "./client.js";
import type { checkScrub } from "./scrub-check.js";
import type { InstrumentContext } from "../instrument/requests.js";
import type { EarlyNotes } from "../instrument/early-crumbs.js";
import type { RequestRules } from "../instrument/request-rules.js";
import type { ModuleInfo } from "../instrument/wasm-modules.js";
import type { makeSpotlight } from "../delivery/spotlight.js";

/** The core's class, as a loader returns it. */
export type CoreClass = new (optionsJson: string) => Core;

/** Facts about the host for automatic context: the contexts as events carry them (members left undefined are left out). */
/** The extension API as a browser extension's code sees it (`browser` in Firefox and Safari, `chrome` in Chromium), the part read. */
export interface ExtensionGlobals {
  browser?: { runtime?: { getURL?: (path: string) => string } };
  chrome?: ExtensionGlobals["browser"];
}

export interface HostFacts {
  userAgent?: string;
  hostname?: string;
  /** `{name, version}`, from the user agent. */
  browser?: HostContext;
  /** `{name, version?}`, from the user agent (Node: `{name, kernel_version}`). */
  os?: HostContext;
  /** `{locale?, timezone?}`. */
  culture?: HostContext;
  /** `{name, version?}`. */
  runtime?: HostContext;
  /** Node: `{arch, processor_count?, cpu_description?, processor_frequency?, memory_size, boot_time}`. */
  device?: HostContext;
  /** Node: `{app_start_time}`. */
  app?: HostContext;
  /** Inside a browser extension (its frames are then the app's own). */
  extension?: boolean;
}

/** One context of the host's, as events carry it. */
export type HostContext = Record<string, string | number | undefined>;

/** Outgoing trace headers for one request. */
export interface CoreTraceHeaders {
  sentryTrace: string;
  /** The app's baggage merged with the DSC. */
  baggage: string;
  /** The DSC alone. */
  dscBaggage: string;
  traceparent: string;
}

/** One capture as it is queued (capture hooks may add to `event` and `trace`). */
export interface CaptureInput {
  eventId: string;
  timestamp: number;
  /** captureException: the value as thrown (described by the engine). */
  exception?: { value: unknown; syntheticStack?: string };
  message?: string;
  level?: string;
  mechanism?: { type: string; handled?: boolean };
  /** captureEvent's event, or hint data (tags, extra, contexts, user, fingerprint). */
  event?: SentryEvent;
  url?: string;
  /** The debug ids (`_sentryDebugIds`' keys and ids) of the page that made a capture kept for this one; else this page's are read. */
  debugIdMap?: Record<string, string>;
  /** The outgoing request this capture is about: the event joins that request's trace. */
  trace?: { sentryTrace: string; baggage?: string };
  /** Scope ids at capture time: current, isolation, global. */
  scopes: [number, number, number];
  processors: EventProcessor[];
  hint: EventHint;
}

/** Sees every capture before it is queued or run; may add capture-time data. */
export type CaptureHook = (input: CaptureInput, hint: EventHint) => void;

/** What the client needs from the engine (`engine.ts`; a fake in unit tests). */
export interface Engine {
  readonly dsnError?: string;
  readonly scrubError?: string;
  readonly optionErrors: string[];
  readonly disabledReason?: string;
  readonly environment?: string;
  readonly debug: boolean;
  /**
   * `checked`: `dropEarly` was already asked about this capture, just now. `queued`: the
   * capture was made before the engine was up, and is linked first to what the engine's
   * instrumentation has learnt since (`EarlyNotes.link`).
   */
  capture(input: CaptureInput, checked?: boolean, queued?: boolean): void;
  scopeSet(id: number, op: ScopeOpName, key: string | undefined, value: unknown): void;
  addBreadcrumb(id: number, crumb: Breadcrumb, atMs: number): void;
  forkScope(from: number, to: number): void;
  dropScope(id: number): void;
  continueTrace(id: number, headers: IncomingTrace): void;
  /** Never throws (nor does `traceData`). */
  traceHeaders(existingBaggage: string | undefined, isolation: number): CoreTraceHeaders | undefined;
  /** `getTraceData` for isolation scope `isolation`. */
  traceData(isolation: number): TraceData | undefined;
  /**
   * Takes over once the client holds this engine: says when the DSN is invalid, counts the
   * captures the client could not queue, starts sessions when `init` asked for them, then
   * runs the client's queued calls in order.
   */
  adopt(): void;
  /** Starts browser page-view sessions (the default client; before queued captures run). Never throws. */
  startSessions?(): void;
  /** Counts one server request that ended in isolation scope `isolation` (request-mode sessions). */
  recordRequestSession?(isolation: number, status: "ok" | "exited" | "errored" | "crashed" | undefined): void;
  /** Set while page-view sessions run: called on a history navigation (a new page-view session). */
  navigated?: () => void;
  /**
   * Counts and drops a capture that could not be sent anyway (send buffer full, or errors
   * rate limited): true when it did. Asked before the capture's arguments are read.
   */
  dropEarly?(eventId: string, error?: object, scopes?: number[]): boolean;
  flush(deadline: number): Promise<boolean>;
  close(): void;
  /** Drops what is not yet sent, including what the offline store keeps for the client (`close({ discard: true })`). */
  discard(): Promise<void>;
}

/**
 * Starts the engine for a client once the core's class is loaded. `instrument` installs
 * automatic instrumentation as soon as the engine's module is there, while the core may
 * still be loading (so a request made then can wait for its trace headers). It is absent
 * on Workers, which have no `init` (`withOxeye` instruments each request's fetch itself).
 */
export type EngineStart = ((client: OxeyeClient, Core: CoreClass, platform: Platform) => Engine) & {
  /** Installs it once `instrument(client)` (api.ts) asked for it, unless the client is closed or disabled. Never throws. */
  instrument?(client: OxeyeClient): void;
};

/** The scopes captures and scope calls use at one moment. */
export type Scopes = { isolation: Scope; current: Scope };

/** Where the active scopes live (see the module doc). */
export interface ScopeStorage {
  get(): { isolation: Scope; current: Scope };
  run<T>(scopes: { isolation: Scope; current: Scope }, fn: () => T, forked?: Scope[]): T;
  /**
   * True when `run`'s scopes stay active in everything `fn` starts (Node's
   * `AsyncLocalStorage`): the storage then drops the `forked` ones from the core once
   * nothing holds them; otherwise the client drops them when `fn` returns or settles.
   */
  async?: boolean;
}

/** What a runtime entry point supplies. */
export interface Platform {
  runtime: "browser" | "node" | "workerd" | "edge";
  /**
   * The core's class for a client with `options`. `attempt` > 0 asks for a fresh wasm
   * instance after a trap (may reject). Browsers pick the wasm by the options (a `scrub`
   * object needs the build that reads one); the other runtimes have one.
   */
  loadCore(attempt: number, options: Options): CoreClass | Promise<CoreClass>;
  /**
   * Loads the rest of the shim (`engine.ts`, the engine's module: the browser's loads what
   * `client`'s options need) and the core's first instance, then calls `start` with a
   * function that answers both or throws why they could not load (and, where the host can
   * tell, one that names a likely cause of a failure: "; …", or ""): at once where they are
   * linked (servers), once loaded where they are not (browsers, when their load schedule
   * says). Answers nothing, or a function that says a call is waiting (a capture or
   * flush), which may make a scheduled load sooner. Never throws.
   */
  load(client: OxeyeClient, start: (loaded: () => [EngineStart, CoreClass], hint?: () => string) => void): (() => void) | void;
  /**
   * The `scrub` option's checker (`scrub-check.ts`): the sentence for a wrong value. Linked
   * by the servers' entries; the browser's engine module loads it before an engine starts
   * whose `scrub` needs checking. Without it the option goes to the core as given.
   */
  checkScrub?: typeof checkScrub;
  /**
   * What `init` starts for its client, unless it is disabled (`enabled: false`), before the
   * instrumentation: noting the app's streamed WebAssembly modules (`watchWasmModules`);
   * in browsers, where the engine loads after the page, also adding trace and request id
   * headers to requests, and noting them, for a client that sends (`noteEarlyRequests`),
   * and noting console calls and clicks unless breadcrumbs are off (`noteEarlyCrumbs`),
   * until the engine's instrumentation takes over. Absent on Workers, which have no `init`
   * and compile no wasm at run time.
   */
  onInit?(client: OxeyeClient): void;
  /** Which requests get trace headers, and how headers are added (`request-rules.ts`): the entries link it, the engine uses it. */
  requestRules?: RequestRules;
  /** The notes `onInit` starts taking (browsers: `noteEarlyCrumbs`, `noteEarlyRequests`), which the engine's instrumentation then records. */
  early?: EarlyNotes;
  /** The streamed WebAssembly modules noted (`watchWasmModules`, `registerWasmModule`), for the `debug_meta` images of wasm frames. */
  wasmModules?: Map<string, ModuleInfo>;
  /** The engine's lazily loaded parts, imported by the entry (`lazy-parts.ts`): the `scrub` option's checker and Spotlight's sink. */
  parts?: [scrubCheck: () => Promise<{ checkScrub: typeof checkScrub }>, spotlight: () => Promise<{ makeSpotlight: typeof makeSpotlight }>];
  /** Request-mode sessions (`requestAggregates`): servers only, a page serves no requests. */
  requestSessions?: RequestSessions;
  /**
   * Gives the rest of the current asynchronous context scopes of its own, forked from the
   * process's (Node): for an `init` made while a request is being served, which the
   * request isolation, installed by that `init`, did not see begin.
   */
  isolateCurrent?(client: OxeyeClient): void;
  /** Scope storage of `client` (being made); default (also when it answers undefined): a synchronous swap. */
  scopeStorage?(initial: { isolation: Scope; current: Scope }, client: OxeyeClient): ScopeStorage | undefined;
  installHandlers?(client: OxeyeClient): () => void;
  /** The runtime's own outgoing-request instrumentation (Node's `http`/`https` clients), installed beside `fetch`'s. */
  instrumentRequests?(ctx: InstrumentContext): () => void;
  handlersByDefault?: boolean;
  /**
   * The page's `fetch` as it was when oxeye's entry was evaluated, for delivery (browsers):
   * a `fetch` the app replaces afterwards (a test's mock, another tool's wrapper) is not
   * the one envelopes depend on.
   */
  fetch?: typeof fetch | undefined;
  /**
   * Lines of source around the frames of a capture's stacks, keyed by file and line, for a
   * client with `options`; `thrown` is the capture's described value, whose nodes name
   * their stacks by index (Node: js/node/source-context.ts).
   */
  sourceLines?(stacks: readonly string[], options: Options, thrown: unknown): unknown;
  /** Facts about the host, read once per client. */
  hostFacts?(): HostFacts;
  /** The root URL of the browser extension oxeye runs in (browsers; `chrome-extension://<id>/`). */
  extensionRoot?: string;
  /** Environment variables (`SENTRY_*`) of the runtime. */
  env?(): Record<string, unknown> | undefined;
  /** A release injected at build time. */
  buildRelease?(): string | undefined;
  /** Said once on the console when a capture or scope call comes before `init` (servers: `BEFORE_INIT_WARNING`). */
  beforeInit?: string;
  /** The trace the host was started in (e.g. a server-rendered page's meta tags). */
  incomingTrace?(client: OxeyeClient): IncomingTrace | undefined;
}

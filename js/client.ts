/**
 * `OxeyeClient`: one explicit client object. It owns the scope handles (global,
 * isolation, current), runs the host-side steps of the pipeline (event processors,
 * RegExp filters, `beforeSend`) between the core's stages, and hands envelopes to
 * delivery. Without host callbacks a capture is a single call into the core.
 *
 * Calls made before the core has loaded are queued in order (scope changes and captures
 * alike) and replayed once it is ready; captures keep their capture time and a
 * pre-assigned event id. No public method throws into the app.
 */
import type {
  Breadcrumb,
  BreadcrumbHint,
  EventHint,
  EventProcessor,
  Options,
  Pattern,
  SentryEvent,
  SeverityLevel,
  TraceData,
  Transport,
  User,
} from "./types.js";
import { describeThrown, normalize } from "./thrown.js";
import { Delivery, within, type DeliveryCore } from "./delivery.js";
import { Scope, type ScopeHost } from "./scope.js";
import { regexFilterReason } from "./filters.js";
import { incomingOf, traceDataOf, type CoreTraceHeaders, type IncomingTrace, TRACE_RANDOM_BYTES } from "./trace.js";

/** What the core returns for a capture stage. */
export interface CaptureOutcome {
  eventId: string;
  envelope?: Uint8Array;
  event?: SentryEvent;
  reason?: string;
  detail?: string;
}

/** The core as the client uses it (the wasm `Core` class, or a fake in unit tests). */
export interface CoreInstance extends DeliveryCore {
  readonly dsnError?: string;
  readonly disabledReason?: string;
  readonly optionErrors: string[];
  readonly scrubError?: string;
  readonly url?: string;
  readonly debug: boolean;
  readonly environment: string;
  readonly version: string;
  capture(input: unknown, current: number, isolation: number, global: number, nowMs: number, random: Uint8Array): CaptureOutcome;
  prepare(input: unknown, current: number, isolation: number, global: number, nowMs: number, random: Uint8Array): CaptureOutcome;
  screen(eventId: string, event: unknown): CaptureOutcome | undefined;
  finish(eventId: string, event: unknown, nowMs: number): CaptureOutcome;
  recordOutcome(reason: string, category: string, quantity: number): void;
  takeClientReport(nowMs: number): Uint8Array | undefined;
  forkScope(from: number, to: number): void;
  dropScope(id: number): void;
  scopeSet(id: number, op: string, key: string | undefined, value: unknown): void;
  addBreadcrumb(id: number, crumb: unknown, nowMs: number): void;
  traceHeaders(isolation: number, existingBaggage: string | undefined, random: Uint8Array): CoreTraceHeaders | undefined;
  continueTrace(id: number, incoming: unknown, random: Uint8Array): boolean;
}

/** Makes a core for the given plain options. */
export type CoreFactory = (options: Record<string, unknown>) => CoreInstance;

/** Facts about the host for automatic context. */
export interface HostFacts {
  userAgent?: string;
  locale?: string;
  timezone?: string;
  runtimeName?: string;
  runtimeVersion?: string;
  hostname?: string;
}

/** The scopes captures and scope calls use at one moment: the isolation scope and the current scope. */
export interface Scopes {
  isolation: Scope;
  current: Scope;
}

/**
 * Where a client keeps its active scopes. The default swaps one pair synchronously (kept
 * until a returned promise settles): right for a page, where one user's code runs at a
 * time. Servers plug in async-context storage (Node: `AsyncLocalStorage`) so concurrent
 * requests never see each other's scopes.
 */
export interface ScopeStorage {
  /** The active scopes. */
  get(): Scopes;
  /** Runs `fn` with `scopes` active (for the default storage, until its promise settles). */
  run<T>(scopes: Scopes, fn: () => T): T;
}

/** The default storage: one active pair, swapped and restored. */
export function swapStorage(root: Scopes): ScopeStorage {
  let active = root;
  return {
    get: () => active,
    run<T>(scopes: Scopes, fn: () => T): T {
      const prev = active;
      active = scopes;
      return settled(fn, () => (active = prev));
    },
  };
}

/** Runs `fn`, then `after` once its result (or returned promise) has settled. */
export function settled<T>(fn: () => T, after: () => void): T {
  let result: T;
  try {
    result = fn();
  } catch (e) {
    after();
    throw e;
  }
  if (result && typeof (result as { then?: unknown }).then === "function") {
    return (result as unknown as Promise<unknown>).then(
      (v) => {
        after();
        return v;
      },
      (e) => {
        after();
        throw e;
      },
    ) as T;
  }
  after();
  return result;
}

/** What a runtime entry point supplies: how to load the core and what it defaults to. */
export interface Platform {
  runtime: "browser" | "node" | "workerd" | "edge";
  loadCore(): CoreFactory | Promise<CoreFactory>;
  defaultTransport(): Transport;
  installHandlers?(client: OxeyeClient): () => void;
  handlersByDefault?: boolean;
  /** Facts about the host, read once per client. */
  hostFacts?(): HostFacts;
  /** The page URL at capture time (`request.url`). */
  currentUrl?(): string | undefined;
  /** Environment variables (`SENTRY_*`) of the runtime. */
  env?(): Record<string, unknown> | undefined;
  /** A release injected at build time. */
  buildRelease?(): string | undefined;
  /** The trace the host was started in (e.g. a server-rendered page's meta tags). */
  incomingTrace?(): IncomingTrace | undefined;
  /** Where each client keeps its active scopes (default: `swapStorage`). */
  scopeStorage?(root: Scopes): ScopeStorage;
}

/** One capture as the core receives it (capture hooks may add to it). */
export interface CaptureInput {
  exception?: unknown;
  message?: string;
  level?: string;
  mechanism?: { type: string; handled?: boolean };
  event?: SentryEvent;
  timestamp: number;
  eventId?: string;
  url?: string;
  /** The outgoing request this capture is about: the event joins that request's trace. */
  trace?: { sentryTrace: string; baggage?: string };
}

/** Sees every capture before it is handed to the core; may add capture-time data. */
export type CaptureHook = (input: CaptureInput, hint: EventHint) => void;

const GLOBAL_SCOPE = 0;
const ISOLATION_SCOPE = 1;
const CURRENT_SCOPE = 2;
const DATA_DEPTH = 5;

function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  crypto.getRandomValues(b);
  return b;
}

/** A UUID v4 as 32 hex digits, for calls queued before the core can make one. */
function queuedEventId(): string {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  let s = "";
  for (const x of b) s += (x < 16 ? "0" : "") + x.toString(16);
  return s;
}

function hintToEvent(hint?: EventHint): SentryEvent | undefined {
  if (!hint) return undefined;
  const ev: SentryEvent = {};
  for (const k of ["tags", "extra", "contexts", "user", "fingerprint"] as const) {
    if (hint[k] !== undefined) ev[k] = normalize(hint[k], DATA_DEPTH);
  }
  return Object.keys(ev).length ? ev : undefined;
}

const PLAIN_OPTIONS = [
  "dsn",
  "release",
  "environment",
  "debug",
  "enabled",
  "tunnel",
  "sampleRate",
  "maxBreadcrumbs",
  "dedupe",
  "maxLinkedErrors",
  "ignoreHttpStatus",
  "ignoreBrowserNoise",
  "environments",
  "orgId",
  "strictTraceContinuation",
  "sendDefaultPii",
  "scrub",
] as const;

function strings(patterns: Pattern[] | undefined): string[] {
  return Array.isArray(patterns) ? patterns.filter((p): p is string => typeof p === "string") : [];
}
function regexes(patterns: Pattern[] | undefined): RegExp[] {
  return Array.isArray(patterns) ? patterns.filter((p): p is RegExp => p instanceof RegExp) : [];
}

/** An oxeye client. Create one per request in Workers; browsers use the default client. */
export class OxeyeClient implements ScopeHost {
  /** The options the client was created with. */
  readonly options: Options;
  /** Resolves once the core has loaded (or failed to). */
  readonly ready: Promise<void>;
  private core?: CoreInstance;
  private loadError?: string;
  private queue: Array<(core: CoreInstance) => void> = [];
  private delivery: Delivery;
  private work = new Set<Promise<void>>();
  private cleanups: Array<() => void> = [];
  private closed = false;
  private nextScopeId = CURRENT_SCOPE + 1;
  private processors: EventProcessor[] = [];
  private lastId?: string;
  private readonly globalScope: Scope;
  private readonly storage: ScopeStorage;
  private readonly regex: { ignoreErrors: RegExp[]; denyUrls: RegExp[]; allowUrls: RegExp[] };

  constructor(
    options: Options,
    private platform: Platform,
  ) {
    this.options = { ...options };
    const transport: Transport = options.transport ?? platform.defaultTransport();
    this.delivery = new Delivery(transport, (m) => this.log(m), this.options, platform.runtime);
    this.addCleanup(() => this.delivery.close());
    this.globalScope = new Scope(this, GLOBAL_SCOPE);
    const root: Scopes = { isolation: new Scope(this, ISOLATION_SCOPE), current: new Scope(this, CURRENT_SCOPE) };
    this.storage = platform.scopeStorage?.(root) ?? swapStorage(root);
    this.regex = {
      ignoreErrors: regexes(options.ignoreErrors),
      denyUrls: regexes(options.denyUrls),
      allowUrls: regexes(options.allowUrls),
    };
    this.applyInitialScope();
    this.applyIncomingTrace(platform.incomingTrace?.() ?? {}, ISOLATION_SCOPE);
    let loaded: CoreFactory | Promise<CoreFactory>;
    try {
      loaded = platform.loadCore();
    } catch (e) {
      loaded = Promise.reject(e);
    }
    if (typeof loaded === "function") {
      this.start(loaded);
      this.ready = Promise.resolve();
    } else {
      this.ready = loaded.then(
        (factory) => this.start(factory),
        (e) => this.failLoad(e),
      );
    }
  }

  /** Why the DSN was rejected (known once the core is ready), if it was. */
  get dsnError(): string | undefined {
    return this.core?.dsnError;
  }

  /** Why the `scrub` option was rejected (known once the core is ready): the client then sends nothing. */
  get scrubError(): string | undefined {
    return this.core?.scrubError;
  }

  /** Sentences about option values that were rejected (and replaced by defaults). */
  get optionErrors(): string[] {
    return this.core ? [...this.core.optionErrors] : [];
  }

  /** A sentence saying why the client sends nothing, or undefined when it is on. */
  get disabledReason(): string | undefined {
    return this.loadError ?? this.core?.disabledReason;
  }

  /** The environment in use (given, from `SENTRY_ENVIRONMENT`, or detected), once ready. */
  get environment(): string | undefined {
    return this.core?.environment;
  }

  // ---- captures -----------------------------------------------------------------

  /** Captures an error (or anything thrown) and returns the event id. */
  captureException(exception: unknown, hint?: EventHint): string {
    try {
      const limit = this.options.maxLinkedErrors;
      return this.capture(
        {
          exception: describeThrown(exception, [], { left: typeof limit === "number" && limit >= 0 ? limit : 5 }),
          mechanism: hint?.mechanism ?? { type: "generic", handled: true },
          level: hint?.level,
          event: hintToEvent(hint),
          timestamp: Date.now(),
        },
        { ...hint, originalException: exception },
      );
    } catch (e) {
      return this.internalError("captureException", e);
    }
  }

  /** Captures a message and returns the event id. */
  captureMessage(message: string, level?: SeverityLevel | EventHint): string {
    try {
      const hint = typeof level === "object" && level !== null ? level : { level };
      return this.capture(
        { message: String(message), level: hint.level, event: hintToEvent(hint), timestamp: Date.now() },
        { ...hint, originalException: message },
      );
    } catch (e) {
      return this.internalError("captureMessage", e);
    }
  }

  /** Sends a whole event (fields missing are filled in) and returns its id. */
  captureEvent(event: SentryEvent, hint?: EventHint): string {
    try {
      return this.capture({ event: normalize(event, 8) as SentryEvent, timestamp: Date.now() }, { ...hint });
    } catch (e) {
      return this.internalError("captureEvent", e);
    }
  }

  /** The id of the last event captured through this client. */
  lastEventId(): string | undefined {
    return this.lastId;
  }

  // ---- scopes -------------------------------------------------------------------

  getGlobalScope(): Scope {
    return this.globalScope;
  }
  getIsolationScope(): Scope {
    return this.storage.get().isolation;
  }
  getCurrentScope(): Scope {
    return this.storage.get().current;
  }

  /** Runs `callback` with a fork of the current scope; restored afterwards (also after a returned promise settles). */
  withScope<T>(callback: (scope: Scope) => T): T {
    const prev = this.storage.get();
    const scope = this.fork(prev.current);
    return settled(
      () => this.storage.run({ isolation: prev.isolation, current: scope }, () => callback(scope)),
      () => this.release(scope),
    );
  }

  /** Runs `callback` with a fork of the isolation scope (and of the current scope). */
  withIsolationScope<T>(callback: (scope: Scope) => T): T {
    const prev = this.storage.get();
    const scopes = this.forkScopes(prev);
    return settled(
      () => this.storage.run(scopes, () => callback(scopes.isolation)),
      () => this.releaseScopes(scopes),
    );
  }

  /** @internal Forks both scopes of a pair (e.g. for one incoming request). */
  forkScopes(from: Scopes = this.storage.get()): Scopes {
    return { isolation: this.fork(from.isolation), current: this.fork(from.current) };
  }

  /** @internal Releases a pair made by `forkScopes`. */
  releaseScopes(scopes: Scopes): void {
    this.release(scopes.isolation);
    this.release(scopes.current);
  }

  /** @internal The client's scope storage. */
  get scopeStorage(): ScopeStorage {
    return this.storage;
  }

  /** Sets the user on the isolation scope (`null` clears it). */
  setUser(user: User | null): void {
    this.getIsolationScope().setUser(user);
  }
  /** Sets a tag on the isolation scope. */
  setTag(key: string, value: unknown): void {
    this.getIsolationScope().setTag(key, value);
  }
  /** Sets several tags on the isolation scope. */
  setTags(tags: Record<string, unknown>): void {
    this.getIsolationScope().setTags(tags);
  }
  /** Sets an extra on the isolation scope. */
  setExtra(key: string, value: unknown): void {
    this.getIsolationScope().setExtra(key, value);
  }
  /** Sets several extras on the isolation scope. */
  setExtras(extras: Record<string, unknown>): void {
    this.getIsolationScope().setExtras(extras);
  }
  /** Sets a context on the isolation scope (`null` removes it). */
  setContext(name: string, context: Record<string, unknown> | null): void {
    this.getIsolationScope().setContext(name, context);
  }

  /** Adds a processor for every event of this client. */
  addEventProcessor(processor: EventProcessor): void {
    if (typeof processor === "function") this.processors.push(processor);
  }

  /** Adds a breadcrumb to the isolation scope. */
  addBreadcrumb(breadcrumb: Breadcrumb, hint?: BreadcrumbHint): void {
    this.addBreadcrumbTo(this.getIsolationScope().id, breadcrumb, hint);
  }

  /** @internal Used by `Scope`. */
  scopeSet(id: number, op: string, key: string | undefined, value: unknown): void {
    try {
      const v = value === undefined ? null : normalize(value, DATA_DEPTH);
      const k = key === undefined ? undefined : String(key);
      this.withCore((core) => core.scopeSet(id, op, k, v));
    } catch (e) {
      this.internalError(op, e);
    }
  }

  /** @internal Used by `Scope`. */
  addBreadcrumbTo(id: number, breadcrumb: Breadcrumb, hint?: BreadcrumbHint): void {
    try {
      if (this.options.maxBreadcrumbs === 0 || typeof breadcrumb !== "object" || breadcrumb === null) return;
      let crumb: Breadcrumb | null = { ...breadcrumb };
      const before = this.options.beforeBreadcrumb;
      if (typeof before === "function") {
        try {
          crumb = before(crumb, hint);
        } catch (e) {
          this.log(`beforeBreadcrumb threw (${e}); the breadcrumb is kept as it was`);
        }
        if (crumb === null || crumb === undefined) return;
      }
      const at = Date.now();
      const data = normalize(crumb, 4);
      this.withCore((core) => core.addBreadcrumb(id, data, at));
    } catch (e) {
      this.internalError("addBreadcrumb", e);
    }
  }

  // ---- trace propagation (helpers in trace.ts; fetch/XHR in instrument/) --------

  private captureHooks: CaptureHook[] = [];

  /**
   * The current trace as outgoing headers: `{ "sentry-trace", baggage }`, plus
   * `traceparent` with `propagateTraceparent`. Empty before the core is ready and while
   * the SDK is disabled.
   */
  getTraceData(): TraceData {
    return traceDataOf(this.traceHeaders(undefined), this.options.propagateTraceparent === true);
  }

  /** Runs `callback` in a fork of the isolation scope that continues the incoming trace (a new trace when the headers name none or are malformed). */
  continueTrace<T>(headers: IncomingTrace, callback: (scope: Scope) => T): T {
    return this.withIsolationScope((scope) => {
      this.applyIncomingTrace(headers, scope.id);
      return callback(scope);
    });
  }

  /** Runs `callback` in a fork of the isolation scope with a new trace. */
  startNewTrace<T>(callback: (scope: Scope) => T): T {
    return this.continueTrace({}, callback);
  }

  /** @internal Sets the trace of a scope (default: the isolation scope) from incoming headers. */
  applyIncomingTrace(headers: IncomingTrace, scopeId: number = this.getIsolationScope().id): void {
    try {
      const incoming = incomingOf(headers);
      const random = randomBytes(TRACE_RANDOM_BYTES);
      this.withCore((core) => core.continueTrace(scopeId, incoming, random));
    } catch (e) {
      this.internalError("continueTrace", e);
    }
  }

  /** @internal Outgoing headers for a request under an isolation scope (default: the current one); undefined until the core is ready. */
  traceHeaders(existingBaggage: string | undefined, isolation: number = this.getIsolationScope().id): CoreTraceHeaders | undefined {
    if (!this.core || this.closed) return undefined;
    try {
      return this.core.traceHeaders(isolation, existingBaggage, randomBytes(TRACE_RANDOM_BYTES)) ?? undefined;
    } catch (e) {
      this.internalError("traceHeaders", e);
      return undefined;
    }
  }

  /** @internal Adds a hook run on every capture; returns its removal. */
  addCaptureHook(hook: CaptureHook): () => void {
    this.captureHooks.push(hook);
    return () => {
      const i = this.captureHooks.indexOf(hook);
      if (i >= 0) this.captureHooks.splice(i, 1);
    };
  }

  // ---- flush and close ----------------------------------------------------------

  /** Waits until everything captured so far is delivered or accounted for; false when `timeoutMs` ran out first. */
  async flush(timeoutMs = 2000): Promise<boolean> {
    try {
      const deadline = Date.now() + Math.max(0, timeoutMs);
      if (!(await within(this.ready, deadline))) return false;
      while (this.work.size > 0) {
        if (!(await within(Promise.allSettled([...this.work]), deadline))) return false;
      }
      // Delivery sends the client report once everything else has settled.
      return await this.delivery.drain(deadline);
    } catch (e) {
      this.internalError("flush", e);
      return false;
    }
  }

  /** Flushes, then stops capturing and removes global handlers. */
  async close(timeoutMs = 2000): Promise<boolean> {
    const done = await this.flush(timeoutMs);
    this.closed = true;
    for (const c of this.cleanups.splice(0)) {
      try {
        c();
      } catch {
        /* a handler that cannot be removed is left in place */
      }
    }
    return done;
  }

  /** Registers a function run by `close` (e.g. removing global handlers). */
  addCleanup(fn: () => void): void {
    this.cleanups.push(fn);
  }

  /** Debug logging: only when `debug` is on (as given, or as resolved by the core). */
  log(message: string): void {
    const on = this.core ? this.core.debug : !!this.options.debug;
    if (on) {
      try {
        console.log(`[oxeye] ${message}`);
      } catch {
        /* no console */
      }
    }
  }

  // ---- internals ----------------------------------------------------------------

  private withCore(op: (core: CoreInstance) => void): void {
    if (this.core) op(this.core);
    else if (!this.loadError) this.queue.push(op);
  }

  private fork(from: Scope): Scope {
    const id = this.nextScopeId++;
    const scope = new Scope(this, id, from.processors);
    this.withCore((core) => core.forkScope(from.id, id));
    return scope;
  }

  private release(scope: Scope): void {
    this.withCore((core) => core.dropScope(scope.id));
  }

  private applyInitialScope(): void {
    const init = this.options.initialScope;
    if (!init || typeof init !== "object") return;
    const s = this.getIsolationScope();
    if (init.tags) s.setTags(init.tags);
    if (init.extra) s.setExtras(init.extra);
    if (init.contexts) for (const [k, v] of Object.entries(init.contexts)) s.setContext(k, v);
    if (init.user) s.setUser(init.user as User);
    if (init.level) s.setLevel(init.level);
    if (init.fingerprint) s.setFingerprint(init.fingerprint);
  }

  private coreOptions(): Record<string, unknown> {
    const o = this.options as Record<string, unknown>;
    const plain: Record<string, unknown> = { runtime: this.platform.runtime };
    for (const k of PLAIN_OPTIONS) {
      if (o[k] !== undefined && o[k] !== null) plain[k] = normalize(o[k], 4);
    }
    plain.ignoreErrors = strings(this.options.ignoreErrors);
    plain.denyUrls = strings(this.options.denyUrls);
    plain.allowUrls = strings(this.options.allowUrls);
    const env: Record<string, string> = {};
    for (const source of [this.platform.env?.(), this.options.env]) {
      if (!source || typeof source !== "object") continue;
      for (const [k, v] of Object.entries(source)) {
        if (k.startsWith("SENTRY_") && typeof v === "string") env[k] = v;
      }
    }
    plain.env = env;
    const host: HostFacts = { ...this.platform.hostFacts?.() };
    if (this.options.hostname) host.hostname = this.options.hostname;
    plain.host = host;
    const built = this.platform.buildRelease?.();
    if (built) plain.buildRelease = built;
    return plain;
  }

  private start(factory: CoreFactory): void {
    this.core = factory(this.coreOptions());
    for (const e of this.core.optionErrors) this.log(e);
    const off = this.core.disabledReason;
    if (off) this.log(off);
    else {
      this.log(`ready: sending to ${this.core.url} (environment ${this.core.environment})`);
      this.delivery.attach(this.core);
    }
    const queued = this.queue.splice(0);
    for (const op of queued) {
      try {
        op(this.core);
      } catch (e) {
        this.internalError("queued call", e);
      }
    }
  }

  private failLoad(e: unknown): void {
    this.loadError = `oxeye is disabled: the wasm core failed to load: ${e}`;
    this.log(`${this.loadError}; ${this.queue.length} queued call(s) were not run`);
    this.queue.length = 0;
  }

  private capture(input: CaptureInput, hint: EventHint): string {
    if (this.closed) {
      this.log("capture after close() ignored");
      return "";
    }
    input.url = this.platform.currentUrl?.();
    for (const hook of this.captureHooks) {
      try {
        hook(input, hint);
      } catch (e) {
        this.log(`a capture hook threw (${e}); the event goes on without it`);
      }
    }
    const { isolation, current } = this.storage.get();
    const ids: [number, number, number] = [current.id, isolation.id, this.globalScope.id];
    const processors = [
      ...new Set([...this.processors, ...this.globalScope.processors, ...isolation.processors, ...current.processors]),
    ];
    if (this.core) return this.pipeline(this.core, input, ids, processors, hint);
    if (this.loadError) return "";
    input.eventId = queuedEventId();
    this.queue.push((core) => void this.pipeline(core, input, ids, processors, hint));
    return input.eventId;
  }

  private pipeline(core: CoreInstance, input: CaptureInput, ids: [number, number, number], processors: EventProcessor[], hint: EventHint): string {
    // 16 bytes for the event id, 4 for sampling, the rest for a trace if the scope has none.
    const random = randomBytes(20 + TRACE_RANDOM_BYTES);
    const callbacks =
      processors.length > 0 ||
      typeof this.options.beforeSend === "function" ||
      this.regex.ignoreErrors.length + this.regex.denyUrls.length + this.regex.allowUrls.length > 0;
    if (!callbacks) {
      const out = core.capture(input, ids[0], ids[1], ids[2], Date.now(), random);
      this.lastId = out.eventId;
      this.handle(core, out);
      return out.eventId;
    }
    const prepared = core.prepare(input, ids[0], ids[1], ids[2], Date.now(), random);
    this.lastId = prepared.eventId;
    if (!prepared.event) {
      this.handle(core, prepared);
      return prepared.eventId;
    }
    const task = this.runCallbacks(core, prepared.eventId, prepared.event, processors, hint).catch((e) => {
      core.recordOutcome("internal_sdk_error", "error", 1);
      this.log(`event ${prepared.eventId} dropped (internal_sdk_error): ${e}`);
    });
    this.work.add(task);
    void task.finally(() => this.work.delete(task));
    return prepared.eventId;
  }

  private async runCallbacks(core: CoreInstance, eventId: string, event: SentryEvent, processors: EventProcessor[], hint: EventHint): Promise<void> {
    const problems: string[] = [];
    for (const processor of processors) {
      let next: SentryEvent | null;
      try {
        next = await processor(event, hint);
      } catch (e) {
        problems.push(`an event processor threw: ${e}`);
        this.log(`event ${eventId}: an event processor threw (${e}); the event goes on unchanged by it`);
        continue;
      }
      if (next === null || next === undefined) {
        core.recordOutcome("event_processor", "error", 1);
        this.log(`event ${eventId} dropped (event_processor): an event processor returned null`);
        return;
      }
      event = next;
    }
    const screened = core.screen(eventId, event);
    if (screened) return this.handle(core, screened);
    const why = regexFilterReason(event, this.regex);
    if (why) {
      core.recordOutcome("event_processor", "error", 1);
      this.log(`event ${eventId} dropped (event_processor): filtered because ${why}`);
      return;
    }
    const beforeSend = this.options.beforeSend;
    if (typeof beforeSend === "function") {
      let next: SentryEvent | null = event;
      try {
        next = await beforeSend(event, hint);
      } catch (e) {
        problems.push(`beforeSend threw: ${e}`);
        this.log(`event ${eventId}: beforeSend threw (${e}); the event is sent as it was`);
        next = event;
      }
      if (next === null || next === undefined) {
        core.recordOutcome("before_send", "error", 1);
        this.log(`event ${eventId} dropped (before_send): beforeSend returned null`);
        return;
      }
      event = next;
    }
    if (problems.length > 0) {
      // Fail open, never silent: the event is sent and says what went wrong on its way.
      event = { ...event, contexts: { ...(event.contexts ?? {}), oxeye: { callback_errors: problems } } };
    }
    this.handle(core, core.finish(eventId, normalize(event, 12), Date.now()));
  }

  private handle(core: CoreInstance, out: CaptureOutcome): void {
    if (out.envelope) {
      const url = core.url;
      if (url) this.delivery.send(url, out.envelope, { label: `event ${out.eventId}` });
    } else if (out.reason && out.reason !== "disabled") {
      this.log(`event ${out.eventId} dropped (${out.reason}): ${out.detail}`);
    }
  }

  private internalError(where: string, e: unknown): string {
    this.log(`internal error in ${where}: ${e}`);
    return "";
  }
}

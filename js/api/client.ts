/**
 * `OxeyeClient`: one explicit client object, small enough for the browser's critical path.
 * It owns the options, the scopes (ids chosen here: 0 global, 1 first isolation, 2 first
 * current; the core keeps none of its own) and a queue of calls made before the engine is
 * up. The engine (`engine.ts`: the core, the host stages of the pipeline, delivery and
 * instrumentation) comes from the platform (`Platform.load`): at once in Node and Workers,
 * once loaded in browsers and edge runtimes (`async-load.ts`).
 *
 * Before the engine is up, calls are queued in order (scope changes and captures alike)
 * and replayed once it is; captures keep their capture time and their event id, which is
 * made here when the capture is called (`core/ids.ts`). Values handed to queued calls are
 * read when they are replayed. `initialScope` is read and applied by the engine, before
 * the queued calls. The queue is bounded (`MAX_QUEUE`): when it is full, its oldest
 * breadcrumb makes room; without one, captures beyond it are counted as `queue_overflow`
 * once the core is up, and other calls are dropped (the debug log says so once).
 *
 * A thrown object is one event: the client keeps each captured object's event id (a
 * `WeakMap`), and a later capture of the same object returns that id without sending or
 * counting anything (a global handler and an error boundary often both see one error).
 * Of the captures dropped early in a storm, only the last object is kept (`#shedLast`).
 *
 * Scope storage is pluggable (`ScopeStorage`): the default swaps the active scopes for the
 * duration of `withScope` (and until a returned promise settles); a runtime with async
 * context (Node's `AsyncLocalStorage`) can pass its own through `Platform.scopeStorage`.
 *
 * No public method throws into the app, whatever state the engine or core is in.
 */
import type { Breadcrumb, BreadcrumbHint, CaptureContext, CloseOptions, EventHint, EventProcessor, Options, SentryEvent, SeverityLevel, TraceData, User } from "./types.js";
import { Scope, type ScopeHost, type ScopeOpName } from "./scope.js";
import type { Core } from "../core/enums.js";
import type { IncomingTrace } from "./trace.js";
import { renderTraceMetaTags } from "./trace-tags.js";
import { swapScopeStorage, whenDone } from "./swap-scopes.js";
import { copyOptions } from "./copy-options.js";
import { eventId, offReason, read, warnOnce, within } from "./loader-util.js";

export type { CoreClass, HostFacts, CoreTraceHeaders, CaptureInput, CaptureHook, Engine, EngineStart, Scopes, ScopeStorage, Platform } from "./contract.js";
import type { CoreClass, HostFacts, CoreTraceHeaders, CaptureInput, CaptureHook, Engine, EngineStart, Scopes, ScopeStorage, Platform } from "./contract.js";

/** Characters of a `captureMessage` text kept (16 Ki, as a number: a minifier keeps `16 * 1024` as it is); the rest is cut (with "…") before it is queued. */
export const MAX_MESSAGE = 16_384;
/** Calls kept before the engine is up, at most. */
export const MAX_QUEUE = 1000;
const GLOBAL_SCOPE = 0;
const ISOLATION_SCOPE = 1;
const CURRENT_SCOPE = 2;

/** The stack here, raw (cut to the app's frames later, off the page's critical path: `capture-site.ts`). */
function stackHere(): string | undefined {
  try {
    const s = new Error().stack;
    return typeof s === "string" ? s : undefined;
  } catch {
    /* undefined */
  }
}

/**
 * `getTraceMetaTags`: `client`'s `getTraceData` as `<meta>` tags; "" without a client or
 * before its core is ready. The renderer is imported here, not carried by the engine, so
 * an app that does not import `getTraceMetaTags` has none.
 */
export function traceMetaTags(client: OxeyeClient | undefined): string {
  return client?.engine ? renderTraceMetaTags(client.getTraceData()) : "";
}

/** @internal A call made before the engine was up, run once it is; a capture's is marked. */
export type QueuedCall = ((engine: Engine) => void) & { capture?: 1; crumb?: 1 };

/** An oxeye client. Create one per request in Workers; browsers use the default client. */
export class OxeyeClient implements ScopeHost {
  // `declare`: fields set in the constructor, or left unset until they have a value, are
  // not first defined as undefined (bytes on the critical path).
  /** The options the client was created with (a plain copy). */
  declare readonly options: Readonly<Options>;
  /** Resolves once the engine is up (or failed to load). */
  declare readonly ready: Promise<void>;
  declare readonly platform: Platform;
  /** When the client was made (`init`): a browser's first session starts then. */
  readonly startedAt = Date.now();
  /** @internal */
  declare engine?: Engine;
  /** @internal Why the client sends nothing, when its load failed or found it off (the engine sets it too). */
  declare loadError?: string;
  // The calls made before the engine is up, and what the engine takes over with them
  // (`Engine.adopt`): captures waiting in `queue`, captures lost to its bound, and whether
  // `init` asked for sessions.
  /** @internal */
  queue: QueuedCall[] = [];
  /** @internal */
  lost = 0;
  /** @internal */
  queuedCaptures = 0;
  /** @internal Set by `instrument` (api.ts): sessions and automatic instrumentation are wanted (`EngineStart.instrument` installs it once). */
  declare wantSessions?: boolean;
  /** @internal The engine's module, once loaded: `instrument` (api.ts) asks it to install automatic instrumentation. */
  declare engineModule?: EngineStart;
  /** Set once nothing can be sent (invalid DSN, core failed to load): what the warning said. */
  #failure?: string;
  /** Captures lost to `failure`, counted here: without a core no client report can carry them. */
  #failed = 0;
  #cleanups: Array<() => void> = [];
  /** @internal */
  closed = false;
  /** @internal Closed with `discard`: an engine that comes after only removes what the offline store keeps. */
  declare discarding?: boolean;
  #nextScopeId = CURRENT_SCOPE + 1;
  #processors: EventProcessor[] = [];
  /** @internal Hooks run on every capture, in order (`addCaptureHook` of `capture-hooks.ts`). */
  readonly captureHooks: CaptureHook[] = [];
  #lastId?: string;
  /** Objects captured (thrown values, `originalException`s), each with its event's id. */
  #caught = new WeakMap<object, string>();
  /**
   * The object of the last capture dropped early (`#shed`), with its id. Dropped captures
   * are not put in `#caught`: in a storm, a weak map of thousands of dropped errors made
   * the page's garbage collector work for each of them. The one kept answers the usual
   * second report of an error, which comes at once (the page's own handler after the
   * global one).
   */
  #shedLast: [object?, string?] = [];
  #demand?: (() => void) | void;
  readonly #globalScope: Scope;
  readonly #scopes: ScopeStorage;

  constructor(options: Options, platform: Platform) {
    this.platform = platform;
    this.options = copyOptions(options);
    this.#globalScope = new Scope(this, GLOBAL_SCOPE);
    const initial = { isolation: new Scope(this, ISOLATION_SCOPE), current: new Scope(this, CURRENT_SCOPE) };
    let storage: ScopeStorage | undefined;
    try {
      storage = platform.scopeStorage?.(initial, this);
    } catch {
      /* fall back to the default */
    }
    this.#scopes = storage ?? swapScopeStorage(initial);
    let resolveReady!: () => void;
    this.ready = new Promise<void>((r) => (resolveReady = r));
    // The engine's module and the core's class, from the platform: at once (servers), or
    // once its asynchronous loads are done (browsers).
    // A client that can send nothing (no DSN, `enabled: false`) loads nothing.
    const off = offReason(this.options, platform);
    if (off) this.log((this.loadError = "oxeye is disabled: " + off)), resolveReady();
    else
      this.#demand = platform.load(this, (load: () => [EngineStart, CoreClass], hint?: () => string) => {
        try {
          const [startEngine, Core] = load();
          this.engineModule = startEngine;
          (this.engine = startEngine(this, Core, this.platform)).adopt();
          startEngine.instrument?.(this);
        } catch (e) {
          this.#failLoad(e, hint);
        }
        resolveReady();
      });
  }

  /** Why the DSN was rejected (known once the core is ready), if it was. */
  get dsnError(): string | undefined {
    return this.engine?.dsnError;
  }

  /** Why the `scrub` option was rejected (known once the core is ready): the client then sends nothing. */
  get scrubError(): string | undefined {
    return this.engine?.scrubError;
  }

  /** Sentences about option values that were rejected (and replaced by defaults). */
  get optionErrors(): string[] {
    return this.engine ? [...this.engine.optionErrors] : [];
  }

  /** A sentence saying why the client sends nothing, or undefined when it is on. */
  get disabledReason(): string | undefined {
    return this.closed ? "oxeye is disabled: close() was called" : (this.loadError ?? this.engine?.disabledReason);
  }

  /** The environment in use (given, from `SENTRY_ENVIRONMENT`, or detected), once ready. */
  get environment(): string | undefined {
    return this.engine?.environment;
  }

  // ---- captures -----------------------------------------------------------------

  /**
   * Captures an error (or anything thrown) and returns the event id. An object this
   * client captured before is not captured again: the first capture's id is returned (of
   * captures dropped early in a storm, only the last object is remembered). A client
   * that sends nothing (closed, or off: no DSN, an invalid one, `enabled: false`) returns "".
   */
  captureException(exception: unknown, hint?: EventHint | CaptureContext): string {
    try {
      const inContext = this.#inContext(hint, (h) => this.captureException(exception, h));
      if (inContext !== undefined) return inContext;
      const first = this.#seen(exception);
      if (first) return first;
      const id = eventId(read(hint, "event_id"));
      if (this.#shed(id, exception, hint ?? 1)) return id;
      let isError = false;
      try {
        isError = exception instanceof Error;
      } catch {
        /* a proxy */
      }
      const h = copyOptions(hint) as EventHint;
      h.originalException = exception;
      return this.#capture(id, this.#hintEvent(h), h, read(h, "level") as string | undefined, undefined, read(h, "mechanism") as CaptureInput["mechanism"], {
        value: exception,
        // A value with no stack of its own gets the frames of the app's capture call; not
        // for the global handlers (mechanism `auto.*`), whose call site is oxeye's own.
        syntheticStack: isError || String(read(read(h, "mechanism"), "type") ?? "").startsWith("auto.") ? undefined : stackHere(),
      });
    } catch (e) {
      return this.#internalError("captureException", e);
    }
  }

  /** Captures a message and returns the event id. */
  captureMessage(message: string, level?: SeverityLevel | EventHint | CaptureContext): string {
    try {
      const inContext = this.#inContext(level, (h) => this.captureMessage(message, h));
      if (inContext !== undefined) return inContext;
      const id = eventId(read(level, "event_id"));
      if (this.#shed(id, message)) return id;
      // A level given as text is the message's own, below a scope's level (as in Sentry's
      // SDKs); one in a capture context (`{ level }`) wins over the scopes'.
      const own = level && typeof level === "object" ? undefined : level;
      const h: EventHint = own ? {} : (copyOptions(level) as EventHint);
      let text: string;
      try {
        // A typed array is named, not joined (an 8 MiB one would be 16 MB of text).
        text = ArrayBuffer.isView(message) ? `[${Object.prototype.toString.call(message).slice(8, -1)}]` : String(message);
      } catch {
        text = "[unreadable message]";
      }
      if (text.length > MAX_MESSAGE) text = text.slice(0, MAX_MESSAGE) + "…";
      h.originalException = message;
      return this.#capture(id, own ? { level: own as SeverityLevel } : this.#hintEvent(h), h, read(h, "level") as string | undefined, text);
    } catch (e) {
      return this.#internalError("captureMessage", e);
    }
  }

  /**
   * Sentry's capture context (`CaptureContext`) in a capture's hint: a function runs on a
   * fork of the current scope and `capture` runs in it with the rest of the hint; scope
   * data as `captureContext` joins the hint. Undefined when there is none (the caller goes
   * on with its hint); a function that throws is logged and the capture still made.
   */
  #inContext(hint: unknown, capture: (hint: EventHint) => string): string | undefined {
    const ctx = typeof hint == "function" ? hint : read(hint, "captureContext");
    if (!ctx) return;
    // (A function copies as no fields.)
    const rest = { ...copyOptions(ctx), ...copyOptions(hint), captureContext: undefined };
    return typeof ctx != "function"
      ? capture(rest)
      : this.withScope((scope) => {
          try {
            ctx(scope);
          } catch (e) {
            this.log(`captureContext threw: ${e}`);
          }
          return capture(rest);
        });
  }

  /** Sends a whole event (fields missing are filled in) and returns its id; once per `hint.originalException` object, as `captureException`. */
  captureEvent(event: SentryEvent, hint?: EventHint): string {
    try {
      const original = read(hint, "originalException");
      const first = this.#seen(original);
      if (first) return first;
      const id = eventId(read(hint, "event_id") ?? read(event, "event_id"));
      if (this.#shed(id, original, read(event, "exception") && event)) return id;
      return this.#capture(id, copyOptions(event) as SentryEvent, copyOptions(hint) as EventHint);
    } catch (e) {
      return this.#internalError("captureEvent", e);
    }
  }

  /** The id the last capture call returned (for an object captured again: its first capture's id). */
  lastEventId(): string | undefined {
    return this.#lastId;
  }

  // ---- scopes -------------------------------------------------------------------

  getGlobalScope(): Scope {
    return this.#globalScope;
  }
  /** The isolation scope (as `getIsolationScope` answers it), for the client's own setters. */
  get #iso(): Scope {
    return this.#scopes.get().isolation;
  }
  getIsolationScope(): Scope {
    return this.#scopes.get().isolation;
  }
  getCurrentScope(): Scope {
    return this.#scopes.get().current;
  }

  /** Runs `callback` with a fork of the current scope; restored afterwards (also after a returned promise settles). */
  withScope<T>(callback: (scope: Scope) => T): T {
    const { isolation, current } = this.#scopes.get();
    const scope = this.forkScope(current);
    return this.#runIn({ isolation, current: scope }, () => callback(scope), [scope]);
  }

  /**
   * Runs `callback` with a fork of the isolation scope (and of the current scope); `from`,
   * internal, names the scopes to fork instead of the ones in use.
   */
  withIsolationScope<T>(callback: (scope: Scope) => T, from?: { isolation: Scope; current: Scope }): T {
    const { isolation, current } = from ?? this.#scopes.get();
    const iso = this.forkScope(isolation);
    const cur = this.forkScope(current);
    return this.#runIn({ isolation: iso, current: cur }, () => callback(iso), [iso, cur]);
  }

  /** Sets the user on the isolation scope (`null` clears it). */
  setUser(user: User | null): void {
    this.#iso.setUser(user);
  }
  /** Sets a tag on the isolation scope. */
  setTag(key: string, value: unknown): void {
    this.#iso.setTag(key, value);
  }
  /** Sets several tags on the isolation scope. */
  setTags(tags: Record<string, unknown>): void {
    this.#iso.setTags(tags);
  }
  /** Sets an extra on the isolation scope. */
  setExtra(key: string, value: unknown): void {
    this.#iso.setExtra(key, value);
  }
  /** Sets several extras on the isolation scope. */
  setExtras(extras: Record<string, unknown>): void {
    this.#iso.setExtras(extras);
  }
  /** Sets a context on the isolation scope (`null` removes it). */
  setContext(name: string, context: Record<string, unknown> | null): void {
    this.#iso.setContext(name, context);
  }

  /** Adds a processor for every event of this client. */
  addEventProcessor(processor: EventProcessor): void {
    if (typeof processor === "function") this.#processors.push(processor);
  }

  /** Adds a breadcrumb to the isolation scope. */
  addBreadcrumb(breadcrumb: Breadcrumb, hint?: BreadcrumbHint): void {
    this.addBreadcrumbTo(this.#iso.id, breadcrumb, hint);
  }

  /** @internal Used by `Scope`. */
  scopeSet(id: number, op: ScopeOpName, key: string | undefined, value: unknown): void {
    try {
      this.#withEngine((e) => e.scopeSet(id, op, key, value));
    } catch (e) {
      this.#internalError(op, e);
    }
  }

  /** @internal Used by `Scope`. */
  addBreadcrumbTo(id: number, breadcrumb: Breadcrumb, hint?: BreadcrumbHint): void {
    try {
      if (this.options.maxBreadcrumbs === 0 || !breadcrumb || typeof breadcrumb !== "object") return;
      let crumb: Breadcrumb | null = copyOptions(breadcrumb) as Breadcrumb;
      const before = this.options.beforeBreadcrumb;
      if (typeof before === "function") {
        try {
          crumb = before(crumb, hint);
        } catch (e) {
          this.log(`beforeBreadcrumb threw (${e}); the breadcrumb is kept as it was`);
        }
      }
      // The copy is an object: only `beforeBreadcrumb` can answer null or undefined (dropped).
      if (crumb == null) return;
      const at = Date.now();
      this.#withEngine((e) => e.addBreadcrumb(id, crumb as Breadcrumb, at), 2);
    } catch (e) {
      this.#internalError("addBreadcrumb", e);
    }
  }

  // ---- trace propagation --------------------------------------------------------

  /**
   * The current trace as outgoing headers: `{ "sentry-trace", baggage }`, plus
   * `traceparent` with `propagateTraceparent`. Empty before the core is ready and while
   * the SDK is disabled.
   */
  getTraceData(): TraceData {
    return (!this.closed && this.engine?.traceData(this.#iso.id)) || {};
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
  applyIncomingTrace(headers: IncomingTrace, scopeId: number = this.#iso.id): void {
    try {
      this.#withEngine((e) => e.continueTrace(scopeId, headers));
    } catch (e) {
      this.#internalError("continueTrace", e);
    }
  }

  /**
   * Counts the request handled in the current isolation scope as one request-mode session
   * (servers): `crashed` when it ended by an unhandled error, else `ok` (counted `exited`,
   * or `errored` / `crashed` when an error event was sent from that isolation scope). Call
   * it once per request, inside the request's `withIsolationScope`.
   */
  recordRequestSession(status?: "ok" | "exited" | "errored" | "crashed", isolation: number = this.#iso.id): void {
    try {
      if (!this.closed) this.#withEngine((e) => e.recordRequestSession?.(isolation, status));
    } catch (e) {
      this.#internalError("recordRequestSession", e);
    }
  }

  // ---- flush and close ----------------------------------------------------------

  /** Waits until everything captured so far is delivered or accounted for; false when `timeoutMs` ran out first. */
  async flush(timeoutMs = 2000): Promise<boolean> {
    try {
      const deadline = Date.now() + Math.max(0, Number(timeoutMs) || 0);
      this.#wake();
      if (!(await within(this.ready, deadline))) return false;
      const done = this.engine ? await this.engine.flush(deadline) : true;
      return done && !this.#failed;
    } catch (e) {
      this.#internalError("flush", e);
      return false;
    }
  }

  /**
   * Removes global handlers and instrumentation (ending a page's session), flushes, then
   * stops capturing. (So a client that a second `init` replaces hears nothing more while
   * what it captured is delivered.) With `{ discard: true }` (a user who withdraws
   * consent): stops capturing at once and sends nothing more; what is not yet sent, and
   * what the offline store keeps for this client, is dropped.
   */
  async close(timeoutMs: number | CloseOptions = 2000): Promise<boolean> {
    if ((timeoutMs as CloseOptions)?.discard) {
      this.closed = this.discarding = true;
      this.queue = [];
      // (Delivery drops what the cleanups hand it, a page's session end among them.)
      const discarded = this.engine?.discard().catch(() => {});
      this.#cleanUp();
      await discarded;
      return true;
    }
    this.#cleanUp();
    const done = await this.flush(typeof timeoutMs == "object" ? timeoutMs?.timeoutMs : timeoutMs);
    this.closed = true;
    // What an engine that loaded during the flush installed goes too.
    this.#cleanUp();
    try {
      this.engine?.close();
    } catch (e) {
      this.#internalError("close", e);
    }
    return done;
  }

  /** Runs the registered cleanups once each. */
  #cleanUp(): void {
    for (const c of this.#cleanups.splice(0)) {
      try {
        c();
      } catch {
        /* a handler that cannot be removed is left in place */
      }
    }
  }

  /** Registers a function run by `close` (e.g. removing global handlers). */
  addCleanup(fn: () => void): void {
    this.#cleanups.push(fn);
  }

  /** Debug logging: only when `debug` is on (as given, or as resolved by the core). */
  log(message: string): void {
    if (this.engine ? this.engine.debug : this.options.debug) {
      try {
        console.log(`[oxeye] ${message}`);
      } catch {
        /* no console */
      }
    }
  }

  // ---- internals ----------------------------------------------------------------

  /** Says a call is waiting, so the platform may load sooner. */
  #wake(): void {
    try {
      this.#demand?.();
    } catch {
      /* the schedule stays as it was */
    }
  }

  /** @internal Runs breadcrumb note `op` once the engine is up (now, if it is), in order with the calls queued before it (`early-crumbs.ts`). */
  whenEngine(op: () => void): void {
    this.#withEngine(op, 2);
  }

  /** Runs `op` now, or queues it until the engine is up; `kind`: 1 a capture, 2 a breadcrumb, 0 anything else. */
  #withEngine(op: QueuedCall, kind: 0 | 1 | 2 = 0): void {
    if (this.engine) op(this.engine);
    else if (!this.loadError) {
      const q = this.queue;
      // Full: a breadcrumb makes room, so that a page's console noise never crowds out its
      // errors or its scope changes. One no event can show goes first (followed by 100, the
      // most an event keeps, before the next capture); else, for a capture or a scope
      // change, the oldest.
      if (q.length >= MAX_QUEUE) {
        let dead = -1;
        let oldest = -1;
        for (let i = q.length, after = 0; i-- && dead < 0; )
          if (q[i].capture) after = 0;
          else if (q[i].crumb) {
            if (after++ >= 100) dead = i;
            oldest = i;
          }
        if (dead >= 0 || (kind != 2 && oldest >= 0)) q.splice(dead >= 0 ? dead : oldest, 1);
      }
      if (q.length < MAX_QUEUE) {
        // (Captures are marked, so that a page's session starts after the scope calls made before them.)
        if (kind == 1) {
          this.queuedCaptures++;
          op.capture = 1;
        } else if (kind) op.crumb = 1;
        q.push(op);
      } else if (kind == 1) this.lost++;
      else if (!kind && !this.#scopeCallsLost++) this.log(`${MAX_QUEUE} calls are waiting for the core: scope changes made now are not kept`);
    }
  }
  #scopeCallsLost = 0;

  /** The load failed (`e`); `hint` names a likely cause on this host ("; …"), or "". */
  #failLoad(e: unknown, hint?: () => string): void {
    this.loadError = `oxeye is disabled: the wasm core failed to load: ${e}`;
    this.log(`${this.loadError}; ${this.queue.length} queued call(s) were not run`);
    this.queue.length = 0;
    this.fail(`its WebAssembly core could not load (${e})${hint?.() ?? ""}`, this.queuedCaptures + this.lost);
    this.queuedCaptures = 0;
    this.lost = 0;
  }

  /**
   * Nothing can be sent from now on: one console warning (with or without `debug`),
   * naming how many captures were already lost. Later captures are counted too, and
   * `flush()` resolves false once any was.
   */
  /** @internal */
  fail(why: string, lostSoFar: number): void {
    if (this.#failure) return;
    this.#failure = why;
    this.#failed += lostSoFar;
    warnOnce(`off:${why}`, `error reporting is off: ${why}, so nothing is sent. ${lostSoFar} event(s) captured before this was known, and later ones, are not sent nor counted here.`);
  }

  /** @internal Forks a scope (e.g. for one incoming request); release it with `dropScopes`. */
  forkScope(from: Scope): Scope {
    const id = this.#nextScopeId++;
    this.#withEngine((e) => e.forkScope(from.id, id));
    const scope = new Scope(this, id, from.processors);
    scope.requestId = from.requestId;
    return scope;
  }

  #runIn<T>(scopes: { isolation: Scope; current: Scope }, fn: () => T, forked: Scope[]): T {
    // (Scopes that go on in what `fn` starts are the storage's to drop: Node's.)
    if (this.#scopes.async) return this.#scopes.run(scopes, fn, forked);
    const release = () => this.dropScopes(forked);
    let result: T;
    try {
      result = this.#scopes.run(scopes, fn);
    } catch (e) {
      release();
      throw e;
    }
    return whenDone(result, release);
  }

  /** @internal Drops scopes made by `forkScope` in the core. */
  dropScopes(scopes: Scope[]): void {
    for (const s of scopes) this.#withEngine((e) => e.dropScope(s.id));
  }

  /** The scope data a capture's hint carries (`tags`, `extra`, `contexts`, `user`, `fingerprint`), as an event, or undefined. */
  #hintEvent(hint: EventHint): SentryEvent | undefined {
    let ev: SentryEvent | undefined;
    for (const k of ["tags", "extra", "contexts", "user", "fingerprint"] as const) {
      const v = read(hint, k);
      if (v !== undefined) ((ev ??= {}) as Record<string, unknown>)[k] = v;
    }
    return ev;
  }

  /**
   * The id an object was first captured with, if this client captured it (said in debug):
   * the capture that asks is answered with it, not sent, and not counted as a drop.
   * Primitives are never recorded (`#capture`).
   */
  #seen(value: unknown): string | undefined {
    const shed = this.#shedLast;
    const id = this.#caught.get(value as object) ?? (shed[0] === value ? shed[1] : undefined);
    if (id) {
      this.log(`already captured as ${id}: not sent again`);
      this.#lastId = id;
    }
    return id;
  }

  /** In a storm: true when the engine has just counted and dropped capture `id` (an error's: `hint`), before anything is read. */
  #shed(id: string, value: unknown, hint?: unknown): boolean {
    const engine = this.engine;
    if (!engine?.dropEarly || this.closed || !engine.dropEarly(id, hint as object)) return false;
    this.#lastId = id;
    if (Object(value) === value) this.#shedLast = [value as object, id];
    return true;
  }

  // The parameters every capture gives come first, so that a call leaves out those it has not.
  #capture(
    eventId: string,
    event: SentryEvent | undefined,
    hint: EventHint,
    level?: string,
    message?: string,
    mechanism?: CaptureInput["mechanism"],
    exception?: CaptureInput["exception"],
  ): string {
    // Closed, or off by its options (`loadError` without a failure: it had nothing to
    // send, and said so once, before its engine or by it): no id, so that no event that
    // can never exist is shown as a reference.
    if (this.closed || (this.loadError && !this.#failure)) {
      if (this.closed) this.log("capture after close() ignored");
      return "";
    }
    if (this.#failure) {
      this.#failed++;
      // Its engine is up and will send nothing (an invalid DSN): no id either.
      if (this.engine) return "";
    }
    const { isolation, current } = this.#scopes.get();
    // One shape for every capture: members set later (`url`, a hook's `trace`) are here, undefined.
    const input: CaptureInput = {
      eventId,
      timestamp: Date.now(),
      exception,
      message,
      level,
      mechanism,
      event,
      url: undefined,
      trace: undefined,
      scopes: [current.id, isolation.id, GLOBAL_SCOPE],
      // The event processors, each once, in order.
      processors: [...new Set(this.#processors.concat(this.#globalScope.processors, isolation.processors, current.processors))],
      hint,
    };
    for (const hook of this.captureHooks) {
      try {
        hook(input, hint);
      } catch (e) {
        this.log(`a capture hook threw (${e}); the event goes on without it`);
      }
    }
    // The capture is made, whatever becomes of its event: the last id, and the object's
    // (primitives are never recorded).
    this.#lastId = eventId;
    const original = hint.originalException;
    if (Object(original) === original) this.#caught.set(original as object, eventId);
    // No core: nothing more here (a browser's hook keeps the capture for the tab's next page).
    if (this.loadError) return eventId;
    const engine = this.engine;
    // `shed` has just asked `dropEarly`.
    if (engine) engine.capture(input, !!engine.dropEarly);
    else {
      // (Queued: the engine links it first to what its instrumentation has learnt since,
      // `EarlyNotes.link`.)
      this.#withEngine((e) => e.capture(input, false, true), 1);
      this.#wake();
    }
    return eventId;
  }

  #internalError(where: string, e: unknown): string {
    try {
      this.log(`internal error in ${where}: ${e}`);
    } catch {
      /* never throw */
    }
    return "";
  }
}

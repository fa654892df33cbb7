/**
 * The convenience API over one default client (`init`, `captureException`, `setTag`,
 * `withScope`, …) and `createClient` for explicit clients, over the default client of
 * one runtime (`defaultsOf`, with its own platform and `initDefault`). Node and edge take
 * the whole API as one object (`createApi`); the browser exports each function on its own
 * (`captureExceptionOf` … : one maker per function), so an app's bundler leaves out those
 * the app does not import. Workers, which have no default client and export only the
 * trace functions, write theirs in `frameworks/cloudflare/runtime.ts`.
 * The client `init` makes is also the default of other copies of the same runtime entry
 * in the process (a framework's separate bundles).
 * Before `init`, captures return "" and scope calls go to a scope that is discarded; on
 * servers that is said once on the console (`Platform.beforeInit`).
 * `init` and `createClient` never throw, whatever the options object does.
 */
import { OxeyeClient, traceMetaTags, type Platform } from "./client.js";
import { Scope } from "./scope.js";
import type { Breadcrumb, BreadcrumbHint, CaptureContext, CloseOptions, EventHint, EventProcessor, Options, SentryEvent, SeverityLevel, TraceData, User } from "./types.js";
import type { IncomingTrace } from "./trace.js";
import { consoleWarn } from "./loader-util.js";

/** The functions every entry point exports. */
export interface Api {
  /**
   * Starts reporting: makes the runtime's default client, which the other functions use,
   * installs the global handlers and instrumentation, and returns it. A second `init`
   * replaces the first client (which still delivers what it captured).
   */
  init(options: Options): OxeyeClient;
  /** Makes a client of its own, for explicit use (a Worker's request, a widget): not the default, no global handlers. */
  createClient(options: Options): OxeyeClient;
  /** The default client `init` made, if any. */
  getClient(): OxeyeClient | undefined;
  /**
   * Reports an error (or any thrown value) and returns the event's id. The hint may carry
   * `mechanism`, `level`, `tags`, `extra`, `contexts`, `user`, `fingerprint`, or be a scope
   * callback. An object already captured is not sent again: its first id is returned. A
   * client that sends nothing (closed, or off: no DSN, an invalid one, `enabled: false`) returns "".
   */
  captureException(exception: unknown, hint?: EventHint | CaptureContext): string;
  /** Reports a message (level `info` unless given) and returns the event's id. */
  captureMessage(message: string, level?: SeverityLevel | EventHint | CaptureContext): string;
  /** Sends a whole event (missing fields are filled in) and returns its id. */
  captureEvent(event: SentryEvent, hint?: EventHint): string;
  /** Resolves true once everything captured so far is delivered or accounted for, false after `timeoutMs` (default 2000). */
  flush(timeoutMs?: number): Promise<boolean>;
  /**
   * Flushes, then stops the default client: handlers removed, nothing more captured. With
   * `{ discard: true }` (consent withdrawn) drops what is not sent instead.
   */
  close(timeoutMs?: number | CloseOptions): Promise<boolean>;
  /** The id the last capture returned. */
  lastEventId(): string | undefined;
  /** Sets a tag on the isolation scope (a request's, a page's): searchable, at most 200 characters. */
  setTag(key: string, value: unknown): void;
  /** Sets several tags on the isolation scope. */
  setTags(tags: Record<string, unknown>): void;
  /** Sets an extra value on the isolation scope, normalised and scrubbed as it is set. */
  setExtra(key: string, value: unknown): void;
  /** Sets several extra values on the isolation scope. */
  setExtras(extras: Record<string, unknown>): void;
  /** Sets (or, with null, removes) a named context on the isolation scope. */
  setContext(name: string, context: Record<string, unknown> | null): void;
  /** Sets the user of the isolation scope (null removes it); its `id` is also the session's `did`. */
  setUser(user: User | null): void;
  /** Records a breadcrumb on the isolation scope (`beforeBreadcrumb` may change or drop it). */
  addBreadcrumb(breadcrumb: Breadcrumb, hint?: BreadcrumbHint): void;
  /** Adds a function that sees, and may change or drop, every event of the default client. */
  addEventProcessor(processor: EventProcessor): void;
  /** Runs `callback` with a fork of the current scope: what it sets applies to captures made inside only. */
  withScope<T>(callback: (scope: Scope) => T): T;
  /** Runs `callback` with a fork of the isolation scope (a unit of work of its own, like a request). */
  withIsolationScope<T>(callback: (scope: Scope) => T): T;
  /** The current scope (innermost `withScope`). */
  getCurrentScope(): Scope;
  /** The isolation scope (the request's on servers, the page's in browsers), where `setTag`, `setUser`… write. */
  getIsolationScope(): Scope;
  /** The global scope: data every event of the process or page carries. */
  getGlobalScope(): Scope;
  // Trace propagation.
  /** The `sentry-trace` and `baggage` headers (and `traceparent` when enabled) for an outgoing request of this scope's trace. */
  getTraceData(): TraceData;
  /** Runs `callback` in the trace an incoming request carries (`sentry-trace`, `baggage`, `traceparent`). */
  continueTrace<T>(headers: IncomingTrace, callback: (scope: Scope) => T): T;
  /** Runs `callback` in a new trace. */
  startNewTrace<T>(callback: (scope: Scope) => T): T;
  /** `<meta>` tags with the trace, for a server-rendered page's `<head>`, so the page's errors continue it. */
  getTraceMetaTags(client?: OxeyeClient): string;
}

/** Servers' `Platform.beforeInit`. */
export const BEFORE_INIT_WARNING =
  "[oxeye] a capture or scope call was made before init() in this runtime, and is dropped. Call init() first " +
  '(Next.js: init() from "oxeye/nextjs" in register() of instrumentation.ts, and captureException from "oxeye/nextjs" or "oxeye")';

/** A scope whose changes go nowhere: what the scope runners call back with before `init`. */
export const detached = () => new Scope({ scopeSet() {}, addBreadcrumbTo() {} }, -1);

/** A client over `platform`; never throws, whatever the options object does. */
export function newClient(platform: Platform, options: Options): OxeyeClient {
  try {
    return new OxeyeClient(options, platform);
  } catch {
    // Unreachable in practice (the client guards every read); a client that sends nothing.
    return new OxeyeClient({ enabled: false }, platform);
  }
}

/**
 * What `init` turns on for its client: sessions, and automatic instrumentation, installed
 * now when the engine's module is there, else once it has loaded (`EngineStart.instrument`).
 */
export function instrument(client: OxeyeClient): void {
  client.wantSessions = true;
  client.engine?.startSessions?.();
  client.engineModule?.instrument?.(client);
}

/** `init`: replaces the `previous` default client, installing what the platform gives. */
export function initDefault(platform: Platform, createClient: (options: Options) => OxeyeClient, previous: OxeyeClient | undefined, options: Options): OxeyeClient {
  const client = createClient(options);
  // A client that sends nothing, as known by now, installs nothing: one off by its options
  // (its `loadError` set at once), or whose core failed or turned it off as it loaded
  // (servers load theirs at once).
  if (!client.loadError) {
    if ((client.options.globalHandlers ?? platform.handlersByDefault) && platform.installHandlers) {
      try {
        client.addCleanup(platform.installHandlers(client));
      } catch (e) {
        client.log(`global handlers not installed: ${e}`);
      }
    }
    platform.onInit?.(client);
    instrument(client);
  }
  // The client replaced stops listening now (its instrumentation already passed to this one),
  // and what it captured is still delivered, within close's usual time, before it closes.
  if (previous) void previous.close().catch(() => false);
  return client;
}

/** One runtime's default client: `init` sets it, the API functions find it. */
export interface Defaults {
  /** The default client; without one, the console is told once (`Platform.beforeInit`). */
  resolve(): OxeyeClient | undefined;
  /** The default client, said nothing about when missing (`getClient`). */
  getClient(): OxeyeClient | undefined;
  createClient(options: Options): OxeyeClient;
  init(options: Options): OxeyeClient;
}

/** The default client of `platform`'s runtime, set by `init` (`withInit`; without it, `init` only makes a client). */
export function defaultsOf(platform: Platform, withInit?: typeof initDefault): Defaults {
  // Frameworks bundle one app into several copies of this module (Next: instrumentation.ts,
  // each route, middleware), and a page may load several bundles. The client `init` made
  // last, in any copy, is the default of every copy of the same runtime, through a
  // process-wide slot (a copy's own is read only where the slot cannot be written).
  const slot = Symbol.for(`oxeye.default.${platform.runtime}`);
  const shared = globalThis as unknown as Record<symbol, OxeyeClient | undefined>;
  let own: OxeyeClient | undefined;
  let warned = false;
  const createClient = (options: Options): OxeyeClient => newClient(platform, options);
  return {
    resolve() {
      const c = shared[slot] ?? own;
      if (!c && !warned && platform.beforeInit) {
        warned = true;
        consoleWarn(platform.beforeInit);
      }
      return c;
    },
    getClient: () => shared[slot] ?? own,
    createClient,
    init: withInit ? (options) => (own = shared[slot] = withInit(platform, createClient, shared[slot] ?? own, options)) : createClient,
  };
}

/** `d`'s member `key`: a call, marked pure, which an app's bundler leaves out when the app does not import the export it makes. */
export const memberOf = <K extends keyof Defaults>(d: Defaults, key: K): Defaults[K] => d[key];

/**
 * The one function of `fn`, written `{ itsName: function }`: a minifier keeps a property's
 * name where it renames a declaration, so the function keeps its name in an app's minified
 * bundle, and its stack frame is named (the capture site, capture-site.ts, cuts the
 * captures' frames by name; an error thrown in a callback names the runner that called it).
 */
const named = <F>(fn: Record<string, F>): F => Object.values(fn)[0];

const scopeOf = (d: Defaults, pick: (c: OxeyeClient) => Scope): Scope => {
  const c = d.resolve();
  return c ? pick(c) : detached();
};
/** The isolation scope the scope setters go to (a discarded one before `init`). */
const isolationOf = (d: Defaults): Scope => scopeOf(d, (c) => c.getIsolationScope());

// The API functions over a runtime's default client, one maker each, so an entry can export
// each as its own constant (a pure call of `captureExceptionOf(defaults)`) that an app's
// bundler leaves out when the app does not import it.
export const captureExceptionOf = (d: Defaults) =>
  named<Api["captureException"]>({ captureException: (e, hint) => d.resolve()?.captureException(e, hint) ?? "" });
export const captureMessageOf = (d: Defaults) =>
  named<Api["captureMessage"]>({ captureMessage: (m, level) => d.resolve()?.captureMessage(m, level) ?? "" });
export const captureEventOf = (d: Defaults) =>
  named<Api["captureEvent"]>({ captureEvent: (ev, hint) => d.resolve()?.captureEvent(ev, hint) ?? "" });
export const flushOf = (d: Defaults) => named<Api["flush"]>({ flush: (t) => d.resolve()?.flush(t) ?? Promise.resolve(true) });
export const closeOf = (d: Defaults) => named<Api["close"]>({ close: (t) => d.resolve()?.close(t) ?? Promise.resolve(true) });
export const lastEventIdOf = (d: Defaults) => named<Api["lastEventId"]>({ lastEventId: () => d.getClient()?.lastEventId() });
export const setTagOf = (d: Defaults) => named<Api["setTag"]>({ setTag: (k, v) => void isolationOf(d).setTag(k, v) });
export const setTagsOf = (d: Defaults) => named<Api["setTags"]>({ setTags: (t) => void isolationOf(d).setTags(t) });
export const setExtraOf = (d: Defaults) => named<Api["setExtra"]>({ setExtra: (k, v) => void isolationOf(d).setExtra(k, v) });
export const setExtrasOf = (d: Defaults) => named<Api["setExtras"]>({ setExtras: (e) => void isolationOf(d).setExtras(e) });
export const setContextOf = (d: Defaults) => named<Api["setContext"]>({ setContext: (n, ctx) => void isolationOf(d).setContext(n, ctx) });
export const setUserOf = (d: Defaults) => named<Api["setUser"]>({ setUser: (u) => void isolationOf(d).setUser(u) });
export const addBreadcrumbOf = (d: Defaults) => named<Api["addBreadcrumb"]>({ addBreadcrumb: (b, h) => d.resolve()?.addBreadcrumb(b, h) });
export const addEventProcessorOf = (d: Defaults) =>
  named<Api["addEventProcessor"]>({ addEventProcessor: (p) => d.resolve()?.addEventProcessor(p) });
// The scope runners call back with a discarded scope before `init`.
export const withScopeOf = (d: Defaults) =>
  named<Api["withScope"]>({
    withScope: (cb) => {
      const c = d.resolve();
      return c ? c.withScope(cb) : cb(detached());
    },
  });
export const withIsolationScopeOf = (d: Defaults) =>
  named<Api["withIsolationScope"]>({
    withIsolationScope: (cb) => {
      const c = d.resolve();
      return c ? c.withIsolationScope(cb) : cb(detached());
    },
  });
export const getCurrentScopeOf = (d: Defaults) => named<Api["getCurrentScope"]>({ getCurrentScope: () => scopeOf(d, (c) => c.getCurrentScope()) });
export const getIsolationScopeOf = (d: Defaults) => named<Api["getIsolationScope"]>({ getIsolationScope: () => isolationOf(d) });
export const getGlobalScopeOf = (d: Defaults) => named<Api["getGlobalScope"]>({ getGlobalScope: () => scopeOf(d, (c) => c.getGlobalScope()) });
export const getTraceDataOf = (d: Defaults) => named<Api["getTraceData"]>({ getTraceData: () => d.resolve()?.getTraceData() ?? {} });
export const continueTraceOf = (d: Defaults) =>
  named<Api["continueTrace"]>({
    continueTrace: (headers, cb) => {
      const c = d.resolve();
      return c ? c.continueTrace(headers, cb) : cb(detached());
    },
  });
export const startNewTraceOf = (d: Defaults) =>
  named<Api["startNewTrace"]>({
    startNewTrace: (cb) => {
      const c = d.resolve();
      return c ? c.startNewTrace(cb) : cb(detached());
    },
  });
export const getTraceMetaTagsOf = (d: Defaults) =>
  named<Api["getTraceMetaTags"]>({ getTraceMetaTags: (client) => traceMetaTags(client ?? d.getClient()) });

/** Builds the whole API for one runtime, as one object (Node and edge; the browser exports each function on its own). */
export function createApi(platform: Platform, withInit?: typeof initDefault): Api {
  const d = defaultsOf(platform, withInit);
  return {
    init: d.init,
    createClient: d.createClient,
    getClient: d.getClient,
    captureException: captureExceptionOf(d),
    captureMessage: captureMessageOf(d),
    captureEvent: captureEventOf(d),
    flush: flushOf(d),
    close: closeOf(d),
    lastEventId: lastEventIdOf(d),
    setTag: setTagOf(d),
    setTags: setTagsOf(d),
    setExtra: setExtraOf(d),
    setExtras: setExtrasOf(d),
    setContext: setContextOf(d),
    setUser: setUserOf(d),
    addBreadcrumb: addBreadcrumbOf(d),
    addEventProcessor: addEventProcessorOf(d),
    withScope: withScopeOf(d),
    withIsolationScope: withIsolationScopeOf(d),
    getCurrentScope: getCurrentScopeOf(d),
    getIsolationScope: getIsolationScopeOf(d),
    getGlobalScope: getGlobalScopeOf(d),
    getTraceData: getTraceDataOf(d),
    continueTrace: continueTraceOf(d),
    startNewTrace: startNewTraceOf(d),
    getTraceMetaTags: getTraceMetaTagsOf(d),
  };
}

/**
 * The convenience API over one default client (`init`, `captureException`, `setTag`,
 * `withScope`, …) and `createClient` for explicit clients. Each runtime entry point calls
 * `createApi` with its own platform and `initDefault` (Workers, which have no default client and
 * export only the trace functions, write theirs in `frameworks/cloudflare/runtime.ts`).
 * The client `init` makes is also the default of other copies of the same runtime entry
 * in the process (a framework's separate bundles).
 * Before `init`, captures return "" and scope calls go to a scope that is discarded; on
 * servers that is said once on the console (`Platform.beforeInit`).
 * `init` and `createClient` never throw, whatever the options object does.
 */
import { OxeyeClient, type Platform } from "./client.js";
import { Scope } from "./scope.js";
import type { Breadcrumb, BreadcrumbHint, EventHint, EventProcessor, Options, SentryEvent, SeverityLevel, TraceData, User } from "./types.js";
import type { IncomingTrace } from "./trace.js";
import { read } from "./guard.js";
import { consoleWarn } from "./warn.js";

/** The functions every entry point exports. */
export interface Api {
  init(options: Options): OxeyeClient;
  createClient(options: Options): OxeyeClient;
  getClient(): OxeyeClient | undefined;
  captureException(exception: unknown, hint?: EventHint): string;
  captureMessage(message: string, level?: SeverityLevel | EventHint): string;
  captureEvent(event: SentryEvent, hint?: EventHint): string;
  flush(timeoutMs?: number): Promise<boolean>;
  close(timeoutMs?: number): Promise<boolean>;
  lastEventId(): string | undefined;
  setTag(key: string, value: unknown): void;
  setTags(tags: Record<string, unknown>): void;
  setExtra(key: string, value: unknown): void;
  setExtras(extras: Record<string, unknown>): void;
  setContext(name: string, context: Record<string, unknown> | null): void;
  setUser(user: User | null): void;
  addBreadcrumb(breadcrumb: Breadcrumb, hint?: BreadcrumbHint): void;
  addEventProcessor(processor: EventProcessor): void;
  withScope<T>(callback: (scope: Scope) => T): T;
  withIsolationScope<T>(callback: (scope: Scope) => T): T;
  getCurrentScope(): Scope;
  getIsolationScope(): Scope;
  getGlobalScope(): Scope;
  // Trace propagation.
  getTraceData(): TraceData;
  continueTrace<T>(headers: IncomingTrace, callback: (scope: Scope) => T): T;
  startNewTrace<T>(callback: (scope: Scope) => T): T;
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
    return new OxeyeClient(options ?? {}, platform);
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
  if (previous) void previous.close(0).catch(() => false);
  const client = createClient(options);
  const wanted = client.options.globalHandlers ?? platform.handlersByDefault ?? false;
  if (wanted && platform.installHandlers) {
    try {
      client.addCleanup(platform.installHandlers(client));
    } catch (e) {
      client.log(`global handlers not installed: ${e}`);
    }
  }
  if (read(client.options, "enabled") !== false) {
    platform.watchWasm?.();
    instrument(client);
  }
  return client;
}

/** Builds the API for one runtime. */
export function createApi(platform: Platform, withInit?: typeof initDefault): Api {
  // Frameworks bundle one app into several copies of this module (Next: instrumentation.ts,
  // each route, middleware). The client `init` made in one copy is the default of every
  // copy of the same runtime, through a process-wide slot.
  const slot = Symbol.for(`oxeye.default.${platform.runtime}`);
  const shared = globalThis as unknown as Record<symbol, OxeyeClient | undefined>;
  let own: OxeyeClient | undefined;
  let warned = false;
  const resolve = (): OxeyeClient | undefined => {
    const c = own ?? shared[slot];
    if (!c && !warned && platform.beforeInit) {
      warned = true;
      consoleWarn(platform.beforeInit);
    }
    return c;
  };
  const createClient = (options: Options): OxeyeClient => newClient(platform, options);
  const scope = (pick: (c: OxeyeClient) => Scope) => {
    const c = resolve();
    return c ? pick(c) : detached();
  };
  const isolation = () => scope((c) => c.getIsolationScope());
  return {
    // Without `initDefault` (no default client), `init` only makes a client.
    init: withInit ? (options) => (own = shared[slot] = withInit(platform, createClient, own ?? shared[slot], options)) : createClient,
    createClient,
    getClient: () => own ?? shared[slot],
    // Each function is written out, so it keeps its name and arity, its stack frame is
    // named (the capture site, capture-site.ts, cuts the captures' frames by name), and an
    // error thrown in a callback names the runner that called it.
    captureException: (e, hint) => resolve()?.captureException(e, hint) ?? "",
    captureMessage: (m, level) => resolve()?.captureMessage(m, level) ?? "",
    captureEvent: (ev, hint) => resolve()?.captureEvent(ev, hint) ?? "",
    flush: (t) => resolve()?.flush(t) ?? Promise.resolve(true),
    close: (t) => resolve()?.close(t) ?? Promise.resolve(true),
    lastEventId: () => (own ?? shared[slot])?.lastEventId(),
    // The scope setters go to the isolation scope (a discarded one before `init`).
    setTag: (k, v) => void isolation().setTag(k, v),
    setTags: (t) => void isolation().setTags(t),
    setExtra: (k, v) => void isolation().setExtra(k, v),
    setExtras: (e) => void isolation().setExtras(e),
    setContext: (n, ctx) => void isolation().setContext(n, ctx),
    setUser: (u) => void isolation().setUser(u),
    addBreadcrumb: (b, h) => resolve()?.addBreadcrumb(b, h),
    addEventProcessor: (p) => resolve()?.addEventProcessor(p),
    // The scope runners call back with a discarded scope before `init`.
    withScope: (cb) => {
      const c = resolve();
      return c ? c.withScope(cb) : cb(detached());
    },
    withIsolationScope: (cb) => {
      const c = resolve();
      return c ? c.withIsolationScope(cb) : cb(detached());
    },
    getCurrentScope: () => scope((c) => c.getCurrentScope()),
    getIsolationScope: isolation,
    getGlobalScope: () => scope((c) => c.getGlobalScope()),
    getTraceData: () => resolve()?.getTraceData() ?? {},
    continueTrace: (headers, cb) => {
      const c = resolve();
      return c ? c.continueTrace(headers, cb) : cb(detached());
    },
    startNewTrace: (cb) => {
      const c = resolve();
      return c ? c.startNewTrace(cb) : cb(detached());
    },
    getTraceMetaTags: (client) => (client ?? own ?? shared[slot])?.traceMetaTags?.() ?? "",
  };
}

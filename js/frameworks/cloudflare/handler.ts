/**
 * `withOxeye` and `instrumentDurableObject`: one client per invocation of a Worker's
 * handlers (`fetch`, `scheduled`, `queue`, `email`, `tail`) and of a Durable Object's
 * (`fetch`, `alarm`, `webSocketMessage`, `webSocketClose`, `webSocketError`).
 *
 * The handler gets the runtime's real `ExecutionContext` (so `passThroughOnException`
 * and `waitUntil` behave as without oxeye) with the invocation's client as `ctx.oxeye`.
 * For a request, the client continues the caller's trace, tags the caller's request id
 * (`request_id`) and the `CF-Ray` (`cf_ray`), and every event gets Sentry's top-level
 * `request`. An error thrown by a handler is captured (unhandled) and rethrown; delivery
 * is handed to `waitUntil`. Setting oxeye up never breaks the Worker: an options callback
 * that throws, or a DSN that is invalid, is logged once and the handler runs with a
 * disabled client.
 */
// The imports' order is the order of the modules in a Worker's bundle: the order measured
// to compress best.
import { addCaptureHook } from "../../api/capture-hooks.js";
import type { OxeyeClient } from "../../api/client.js";
import type { Options } from "../../api/types.js";
import type { IncomingTrace } from "../../api/trace.js";
import { boundFetch, fetchPolicy, useGlobalFetch } from "./fetch.js";
import { fetchHeaders, readIncoming } from "../request.js";
import { inFlight, invocationClient, warnOnce, type Invocation } from "./runtime.js";
import { uncaught } from "../../api/thrown.js";
import { honoRoute, reportHonoErrors } from "../hono.js";
import type {
  DurableObjectStateLike,
  ExecutionContextInput,
  ExecutionContextLike,
  FetchHandler,
  OptionsCallback,
  OxeyeContext,
  OxeyeHandler,
  WorkerClient,
  WrappedHandler,
} from "./types.js";

const FLUSH_MS = 2000;
const UNSUPPORTED_CRUMBS = ["console", "dom", "history", "xhr"] as const;

/** The client of one invocation; never throws. */
function makeClient<Env>(options: OptionsCallback<Env>, env: Env, hostname?: string): OxeyeClient {
  let opts: Options;
  try {
    opts = options(env) ?? {};
  } catch (e) {
    warnOnce("options-threw", `the options callback given to withOxeye threw (${e}); requests are handled with oxeye disabled`);
    return invocationClient({ enabled: false });
  }
  let client: OxeyeClient;
  try {
    // SENTRY_* bindings configure the client; the request's host picks the environment.
    const envVars = env && typeof env === "object" ? (env as Record<string, unknown>) : undefined;
    client = invocationClient({ env: envVars, hostname: hostname || undefined, ...opts });
  } catch (e) {
    warnOnce("client-failed", `oxeye could not start (${e}); requests are handled with oxeye disabled`);
    return invocationClient({ enabled: false });
  }
  // An invalid DSN is warned about by the client itself, once per isolate.
  const b = opts.breadcrumbs;
  if (b && typeof b === "object") {
    const asked = UNSUPPORTED_CRUMBS.filter((k) => !!(b as Record<string, unknown>)[k]);
    if (asked.length) warnOnce("crumbs", `breadcrumbs.${asked.join(", breadcrumbs.")} do not exist in Workers and are not recorded (only breadcrumbs.fetch is)`);
  }
  return client;
}

/**
 * The real context with the client as `oxeye`, and a `waitUntil` that also covers the work
 * it is given: what that work captures after the response is delivered once it settles, and
 * what it rejects with is captured (unhandled) and the rejection passed on. Own properties;
 * a wrapper only if the context refuses them.
 */
function contextWith<C extends ExecutionContextInput>(ctx: C, client: WorkerClient, wait: (p: Promise<unknown>) => void): OxeyeContext<C> {
  const waitUntil = (work: Promise<unknown>) =>
    wait(
      Promise.resolve(work).then(
        () => client.flush(FLUSH_MS),
        async (e) => {
          client.captureException(e, { mechanism: { type: "auto.faas.cloudflare.wait_until", handled: false } });
          await client.flush(FLUSH_MS);
          throw e;
        },
      ),
    );
  try {
    Object.defineProperties(ctx, {
      oxeye: { value: client, configurable: true, writable: true },
      waitUntil: { value: waitUntil, configurable: true, writable: true },
    });
    if ((ctx as { oxeye?: unknown }).oxeye === client) return ctx as OxeyeContext<C>;
  } catch {
    /* a frozen context */
  }
  return new Proxy(ctx, {
    get(target, key) {
      if (key === "oxeye") return client;
      if (key === "waitUntil") return waitUntil;
      const v = Reflect.get(target, key, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  }) as OxeyeContext<C>;
}

/** Runs one invocation: client, scope data, capture of a thrown error, delivery through the context's (or object state's) `waitUntil`. */
async function invoke<T>(
  client: OxeyeClient,
  ctx: Pick<ExecutionContextLike, "waitUntil">,
  mechanism: string,
  requestId: string | undefined,
  run: (client: WorkerClient, wait: (p: Promise<unknown>) => void) => T | Promise<T>,
): Promise<T> {
  // The runtime's own `waitUntil`, before the handler's context gets the one that covers its work.
  const wait = ctx.waitUntil.bind(ctx);
  const policy = fetchPolicy(client, requestId);
  try {
    Object.defineProperty(client, "fetch", { value: boundFetch(policy), configurable: true, writable: true });
  } catch {
    /* left without */
  }
  const inv: Invocation = { client, done: false };
  inFlight.add(inv);
  try {
    useGlobalFetch(policy);
  } catch {
    /* the global fetch stays as it was */
  }
  let threw = false;
  // The work the handler hands to `ctx.waitUntil`.
  const work: Promise<unknown>[] = [];
  try {
    return await run(client as WorkerClient, (p) => {
      work.push(p);
      wait(p);
    });
  } catch (e) {
    threw = true;
    client.captureException(uncaught(e), { mechanism: { type: mechanism, handled: false } });
    throw e;
  } finally {
    inv.done = true;
    inFlight.delete(inv);
    // An HTTP request is one request-mode session: crashed when it threw, errored when an
    // error event was sent for it (release health), counted once the work it handed to
    // `waitUntil` while it ran has settled, so that what that work reports counts too.
    // (The chain runs whether or not the runtime's `waitUntil` takes it.)
    const settled = Promise.allSettled(work)
      .then(() => mechanism === "auto.http.cloudflare" && client.recordRequestSession(threw ? "crashed" : undefined))
      .then(() => client.flush(FLUSH_MS));
    try {
      wait(settled);
    } catch {
      /* no waitUntil: delivery runs on its own */
    }
    // A capture after the handler returned (in a streamed body, a socket's listener)
    // would be cut off with the request: its delivery goes to `waitUntil` as well, once
    // the capture is queued.
    addCaptureHook(client, () => {
      try {
        wait(Promise.resolve().then(() => client.flush(FLUSH_MS)));
      } catch (e) {
        client.log(`a capture after the request ended may not be delivered: ${e}`);
      }
    });
  }
}

/** Request facts on the client's isolation scope; returns the caller's request id. */
function applyRequest(client: OxeyeClient, request: Request): string | undefined {
  try {
    const header = fetchHeaders(request.headers);
    const [data, trace, requestId] = readIncoming(request.method, request.url, header, client.options, header("cf-connecting-ip"));
    client.applyIncomingTrace(trace as IncomingTrace);
    const scope = client.getIsolationScope();
    // Events are named by the request (method and path, without the query), as on Node; a
    // Hono app's route names them once it is known.
    scope.setTransactionName(`${request.method} ${new URL(request.url).pathname}`);
    if (requestId) scope.setTag("request_id", (scope.requestId = requestId));
    const ray = header("cf-ray");
    if (ray) scope.setTag("cf_ray", ray);
    addCaptureHook(client, (input) => {
      const given = input.event?.request;
      input.event = { ...input.event, request: given && typeof given === "object" ? { ...data, ...given } : data };
    });
    return requestId;
  } catch {
    /* undefined */
  }
}

function hostOf(request: Request): string | undefined {
  try {
    return new URL(request.url).hostname;
  } catch {
    /* undefined */
  }
}

function wrapFetch<Env>(options: OptionsCallback<Env>, fetchHandler: FetchHandler<Env>) {
  return (request: Request, env: Env, ctx: ExecutionContextInput): Promise<Response> => {
    const client = makeClient(options, env, hostOf(request));
    const requestId = applyRequest(client, request);
    return invoke(client, ctx, "auto.http.cloudflare", requestId, (c, wait) => fetchHandler(request, env, contextWith(ctx as ExecutionContextLike, c, wait)));
  };
}

const EVENT_KINDS = ["scheduled", "queue", "email", "tail"] as const;
type EventKind = (typeof EVENT_KINDS)[number];
const MECHANISM_OBJECT = "auto.faas.cloudflare.durable_object";

function wrapEvent<Env>(options: OptionsCallback<Env>, kind: EventKind, fn: (arg: unknown, env: Env, ctx: OxeyeContext) => unknown) {
  return (arg: Record<string, unknown>, env: Env, ctx: ExecutionContextInput): Promise<unknown> => {
    const client = makeClient(options, env);
    // The trigger on the isolation scope, as far as it can be read.
    try {
      const scope = client.getIsolationScope();
      // The context beyond `trigger`, and what the transaction is named by after the kind.
      let facts: Record<string, unknown> = {};
      let named: unknown;
      if (kind === "scheduled") facts = { cron: (named = arg.cron), scheduled_time: arg.scheduledTime };
      else if (kind === "queue") facts = { queue: (named = arg.queue), messages: Array.isArray(arg.messages) ? arg.messages.length : undefined };
      else if (kind === "tail") facts = { events: Array.isArray(arg) ? arg.length : undefined };
      scope.setContext("cloudflare", { trigger: kind, ...facts });
      scope.setTransactionName(`${kind} ${String(named ?? "")}`.trim());
    } catch {
      /* described as far as possible */
    }
    return invoke(client, ctx, `auto.faas.cloudflare.${kind}`, undefined, (c, wait) => fn(arg, env, contextWith(ctx as ExecutionContextLike, c, wait)));
  };
}

/**
 * Wraps a module worker: `export default withOxeye((env) => ({ dsn: env.SENTRY_DSN }), { fetch, scheduled, queue })`.
 * Every handler gets its own client as `ctx.oxeye`; other properties of the object are kept.
 * A lone fetch function is accepted too (and a lone fetch function returned), and so is a
 * `WorkerEntrypoint` class: its handlers and RPC methods each get a client, as `this.ctx.oxeye`.
 */
// The fetch function's overload comes first: TypeScript types a lone arrow function's
// parameters from the first overload it tries, and a class's gives them none.
export function withOxeye<Env>(options: OptionsCallback<Env>, handler: FetchHandler<Env>): (request: Request, env: Env, ctx: ExecutionContextInput) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withOxeye<Env, C extends abstract new (ctx: any, env: any) => object>(options: OptionsCallback<Env>, handler: C): C;
export function withOxeye<Env, H extends OxeyeHandler<Env>>(options: OptionsCallback<Env>, handler: H): WrappedHandler<Env, H>;
export function withOxeye<Env>(options: OptionsCallback<Env>, handler: FetchHandler<Env> | OxeyeHandler<Env> | ObjectClass): unknown {
  if (typeof handler === "function") {
    // A class (`WorkerEntrypoint`), whose `prototype` alone is read-only; any other function is a fetch handler.
    if (Object.getOwnPropertyDescriptor(handler, "prototype")?.writable !== false) return wrapFetch(options, handler as FetchHandler<Env>);
    return instrumentClass(handler as ObjectClass, (t, k, method, [ctx, env]: [ExecutionContextLike, Env]) => {
      if (k === "fetch") return (request: Request) => wrapFetch(options, (r) => method.call(t, r))(request, env, ctx);
      if ((EVENT_KINDS as readonly string[]).includes(k)) return (arg: Record<string, unknown>) => wrapEvent(options, k as EventKind, (a) => method.call(t, a))(arg, env, ctx);
      return (...args: unknown[]) => {
        const client = makeClient(options, env);
        describe(client, "rpc", k);
        return invoke(client, ctx, "auto.faas.cloudflare.rpc", undefined, (c, wait) => (contextWith(ctx, c, wait), method.apply(t, args)));
      };
    });
  }
  const out: Record<string, unknown> = { ...(handler as object) };
  if (typeof handler.fetch === "function") out.fetch = wrapFetch(options, handler.fetch.bind(handler));
  // A Hono app's routes' errors, which Hono answers itself: reported by the request's
  // client, and its events named by the matched route.
  reportHonoErrors(handler, (err, c) => {
    const client = oxeyeOf(c);
    const route = honoRoute(c);
    if (client && route) client.getIsolationScope().setTransactionName(`${c.req!.method} ${route}`);
    client?.captureException(err, { mechanism: { type: "auto.faas.hono.error_handler", handled: false } });
  });
  for (const kind of EVENT_KINDS) {
    const fn = handler[kind];
    if (typeof fn === "function") out[kind] = wrapEvent(options, kind, (fn as (a: unknown, e: Env, c: OxeyeContext) => unknown).bind(handler));
  }
  return out;
}

/**
 * The client of the invocation that `ctx` is the context of: `oxeyeOf(this.ctx)` in a
 * `WorkerEntrypoint`, `oxeyeOf(c)` with a Hono context. `ctx.oxeye`, typed for contexts
 * whose type does not have it; undefined outside a wrapped handler (and in Hono's
 * `app.request()` tests, where its `executionCtx` throws).
 */
export function oxeyeOf(ctx: unknown): WorkerClient | undefined {
  try {
    const c = ctx as (Partial<OxeyeContext> & { executionCtx?: Partial<OxeyeContext> }) | undefined;
    return c?.oxeye ?? c?.executionCtx?.oxeye;
  } catch {
    /* undefined */
  }
}

const objectClients = new WeakMap<object, WorkerClient>();

/** The client of the Durable Object invocation handling `request` (inside a wrapped `fetch`). */
export function durableObjectClient(request: Request): WorkerClient | undefined {
  return objectClients.get(request);
}

/** A Durable Object or `WorkerEntrypoint` class (its constructor gets the object's state or context, and `env`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ObjectClass = new (state: any, env: any) => object;
const OBJECT_METHODS = ["alarm", "webSocketMessage", "webSocketClose", "webSocketError"];

/** The object behind each proxy that `instrumentClass` makes. */
const targets = new WeakMap<object, object>();

/**
 * `Base` extended so that each instance is seen through a proxy: what the runtime calls on
 * it (a handler, or an RPC method) is `wrap`'s function. `Base`'s methods run on the
 * object itself however they are reached (through the proxy, or by `super.method()` from
 * a subclass), so their own calls (`this.helper()`) reach the object, not the proxy, and
 * are left alone, and their private fields work as before. A subclass's methods (the
 * app's, or the one `wrangler dev` wraps a default export in) run on the proxy, which is
 * what the subclass's constructor got as `this` and holds its private fields.
 */
function instrumentClass<A extends unknown[]>(Base: ObjectClass, wrap: (self: object, name: string, method: Function, args: A) => Function): ObjectClass {
  const Wrapped = class extends Base {
    constructor(...args: unknown[]) {
      super(...(args as [unknown, unknown]));
      const proxy = new Proxy(this, {
        get(target, key, receiver) {
          const v: unknown = Reflect.get(target, key, target);
          // `Object`'s methods (and `constructor`) are no handlers, and RPC refuses them.
          return typeof v === "function" && typeof key === "string" && !(key in Object.prototype) ? wrap(receiver, key, v, args as A) : v;
        },
      });
      targets.set(proxy, this);
      return proxy;
    }
  };
  // Each method of `Base` (the nearest of a name) on the subclass's prototype, run on the object.
  for (let p = Base.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const method = Object.getOwnPropertyDescriptor(p, name)?.value;
      if (name === "constructor" || typeof method !== "function" || Object.prototype.hasOwnProperty.call(Wrapped.prototype, name)) continue;
      Object.defineProperty(Wrapped.prototype, name, {
        configurable: true,
        writable: true,
        value(this: object, ...a: unknown[]) {
          return method.apply(targets.get(this) ?? this, a);
        },
      });
    }
  }
  return Wrapped;
}

/**
 * What started an invocation other than a request, on its isolation scope as the
 * `cloudflare` context (with an alarm's `retry_count`: workerd runs a failed alarm again,
 * up to six times, each run an event), and the transaction it names: `rpc <method>`, else
 * the handler's name (`alarm`, `webSocketMessage` …).
 */
function describe(client: OxeyeClient, trigger: string, method?: string, durableObject?: string, retryCount?: unknown): void {
  const scope = client.getIsolationScope();
  scope.setContext("cloudflare", { trigger, method, durable_object: durableObject, retry_count: retryCount });
  scope.setTransactionName(method ? `rpc ${method}` : trigger);
}

/**
 * Wraps a Durable Object class: `export class Counter extends instrumentDurableObject((env) => ({ dsn: env.SENTRY_DSN }), CounterBase) {}`.
 * Its `fetch`, `alarm`, WebSocket handlers and RPC methods each get a client (a request's
 * continues the caller's trace; `durableObjectClient(request)` returns it inside `fetch`);
 * what they throw is captured and rethrown, and delivery is handed to the object's `waitUntil`.
 */
export function instrumentDurableObject<Env, C extends ObjectClass>(options: OptionsCallback<Env>, Base: C): C {
  return instrumentClass(Base, (t, k, method, [state, env]: [DurableObjectStateLike, Env]) => {
    let name: string | undefined;
    try {
      name = state.id?.name ?? state.id?.toString();
    } catch {
      /* unnamed */
    }
    if (k === "fetch")
      return (request: Request, ...rest: unknown[]) => {
        const client = makeClient(options, env, hostOf(request));
        const requestId = applyRequest(client, request);
        if (name) client.setTag("durable_object", name);
        return invoke(client, state, MECHANISM_OBJECT, requestId, (c) => {
          objectClients.set(request, c);
          return method.call(t, request, ...rest);
        });
      };
    return (...args: unknown[]) => {
      const client = makeClient(options, env);
      if (OBJECT_METHODS.includes(k)) describe(client, k, undefined, name, k == "alarm" ? (args[0] as { retryCount?: unknown } | undefined)?.retryCount : undefined);
      else describe(client, "rpc", k, name);
      return invoke(client, state, MECHANISM_OBJECT, undefined, () => method.apply(t, args));
    };
  }) as C;
}

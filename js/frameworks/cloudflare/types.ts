/**
 * The Workers types `oxeye/cloudflare` needs, written structurally so they match
 * `@cloudflare/workers-types` and wrangler's generated `worker-configuration.d.ts`
 * without depending on either.
 */
import type { OxeyeClient } from "../../api/client.js";
import type { Options } from "../../api/types.js";

/**
 * A Workers `ExecutionContext`: the members every version of the runtime's types has (and
 * Hono's `ExecutionContext` asks for). For the rest of the runtime's own type (`exports`'
 * type, `tracing`, …) annotate the handler's parameter: `ctx: OxeyeContext<ExecutionContext>`.
 */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly props: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly exports?: any;
}

/**
 * What a wrapped handler takes as its context: the runtime's `ExecutionContext` of any
 * version of the Workers types (`props` came in late 2024), a Pages Function's
 * `EventContext`, or a test's stand-in.
 */
export interface ExecutionContextInput {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly props?: any;
}

/** The client of one invocation: an `OxeyeClient` plus `fetch`, which always carries this request's trace and breadcrumbs. */
export interface WorkerClient extends OxeyeClient {
  /** `fetch` attributed to this invocation: trace headers for `tracePropagationTargets`, a breadcrumb per request. */
  fetch: typeof fetch;
}

/** The real `ExecutionContext` of the invocation, with the invocation's client as `oxeye`. */
export type OxeyeContext<C extends ExecutionContextInput = ExecutionContextLike> = C & { oxeye: WorkerClient };

/** Returns the options of the client; gets the Worker's `env`. */
export type OptionsCallback<Env> = (env: Env) => Options;

/** A cron trigger's controller. */
export interface ScheduledControllerLike {
  readonly scheduledTime: number;
  readonly cron: string;
  noRetry(): void;
}

/** One queue message; its `body` is `unknown` until the handler's `batch` is annotated (`batch: MessageBatch<Order>`). */
export interface MessageLike<Body = unknown> {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** A batch of queue messages. */
export interface MessageBatchLike<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly MessageLike<Body>[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
}

/** An incoming email. */
export interface EmailMessageLike {
  readonly from: string;
  readonly to: string;
  readonly headers: Headers;
  readonly raw: ReadableStream;
  readonly rawSize: number;
  setReject(reason: string): void;
  forward(rcptTo: string, headers?: Headers): Promise<unknown>;
}

/** A module worker's handlers, as `withOxeye` accepts them (each one gets `ctx.oxeye`). */
export interface OxeyeHandler<Env = unknown> {
  fetch?(request: Request, env: Env, ctx: OxeyeContext): Response | Promise<Response>;
  scheduled?(controller: ScheduledControllerLike, env: Env, ctx: OxeyeContext): void | Promise<void>;
  queue?(batch: MessageBatchLike, env: Env, ctx: OxeyeContext): void | Promise<void>;
  email?(message: EmailMessageLike, env: Env, ctx: OxeyeContext): void | Promise<void>;
  tail?(events: readonly unknown[], env: Env, ctx: OxeyeContext): void | Promise<void>;
}

/** What `withOxeye` returns for a handler object: the same handlers, taking the plain `ExecutionContext`. */
export type WrappedHandler<Env, H> = {
  [K in keyof H]: K extends "fetch"
    ? (request: Request, env: Env, ctx: ExecutionContextInput) => Promise<Response>
    : K extends "scheduled" | "queue" | "email" | "tail"
      ? H[K] extends (arg: infer A, ...rest: never[]) => unknown
        ? (arg: A, env: Env, ctx: ExecutionContextInput) => Promise<void>
        : H[K]
      : H[K];
};

/** A lone fetch handler (the first form `withOxeye` accepted). */
export type FetchHandler<Env> = (request: Request, env: Env, ctx: OxeyeContext) => Response | Promise<Response>;

/** A Durable Object's state (the parts oxeye uses). */
export interface DurableObjectStateLike {
  waitUntil(promise: Promise<unknown>): void;
  id?: { toString(): string; name?: string };
}

/**
 * Scope storage over an `AsyncLocalStorage` (Node's, and the global one of edge runtimes
 * that give it: Next.js's edge runtime, Vercel): `withScope`, `withIsolationScope` and
 * `continueTrace` keep their own scopes across every `await`, timer and event callback
 * started inside them (the scopes are dropped from the core once nothing holds them), and
 * concurrent requests never see each other's data.
 *
 * One `AsyncLocalStorage` per runtime serves every client (a runtime may keep each
 * instance alive, so one per client would leak with per-request clients). Its store is a
 * short chain of frames, each owned by one client's storage; a client reads the nearest
 * frame it owns, else its root scopes. Node also enters a request's scopes as the request
 * arrives (`enter`), and keeps the request a frame was made for.
 */
import type { OxeyeClient, Scopes, ScopeStorage } from "./client.js";
import type { Scope } from "./scope.js";
import type { RequestData } from "../frameworks/request.js";

/** One entry of the async context. */
export interface Frame {
  owner: AsyncScopeStorage;
  scopes: Scopes;
  /** The incoming request these scopes were made for, if any. */
  request?: RequestData;
  /** The Node request object a frame was entered for (frames of one request chain together). */
  origin?: object;
  parent?: Frame;
}

function find(owner: AsyncScopeStorage, frame: Frame | undefined): Frame | undefined {
  for (let f = frame; f; f = f.parent) if (f.owner === owner) return f;
  return undefined;
}

/**
 * The `AsyncLocalStorage` a runtime gives (Node's `node:async_hooks`, an edge runtime's
 * global), shared by every client: `enterWith` only where requests are entered (Node).
 */
export interface ContextStorage {
  getStore(): Frame | undefined;
  run<T>(frame: Frame, fn: () => T): T;
  enterWith?(frame: Frame): void;
}

/** A client's scope storage over a shared `AsyncLocalStorage`. */
export class AsyncScopeStorage implements ScopeStorage {
  /** Drops a scope from the core once nothing holds it (`collect`). */
  readonly #collected?: FinalizationRegistry<number>;

  constructor(
    readonly root: Scopes,
    client: OxeyeClient | undefined,
    readonly als: ContextStorage,
  ) {
    if (client && typeof FinalizationRegistry === "function") this.#collected = new FinalizationRegistry((id) => client.dropScopes([{ id } as Scope]));
  }

  /** `run`'s scopes go on in the timers and callbacks `fn` starts: they are dropped once collected, not when `fn` settles. */
  readonly async = true;

  get(): Scopes {
    return find(this, this.als.getStore())?.scopes ?? this.root;
  }

  /** Drops each of `scopes` (made by `forkScope`) from the core once nothing holds it. */
  collect(scopes: Scope[]): void {
    for (const s of scopes) this.#collected?.register(s, s.id);
  }

  /** Runs `fn` with `scopes` active; the `forked` ones (made for this call) are dropped from the core once collected. */
  run<T>(scopes: Scopes, fn: () => T, forked: Scope[] = []): T {
    this.collect(forked);
    const parent = this.als.getStore();
    return this.als.run({ owner: this, scopes, request: find(this, parent)?.request, origin: parent?.origin, parent }, fn);
  }

  /**
   * Makes `scopes` active for the rest of the current synchronous execution and
   * everything it starts (used when a request arrives: its handlers run inside).
   * Frames other clients entered for the same request are kept.
   */
  enter(scopes: Scopes, origin: object, request?: RequestData): void {
    const current = this.als.getStore();
    const parent = current && current.origin === origin ? current : undefined;
    this.als.enterWith?.({ owner: this, scopes, request, origin, parent });
  }

  /**
   * Makes forks of `client`'s process-wide scopes active as `enter` does, dropped from the
   * core once collected; answers them.
   */
  enterFork(client: OxeyeClient, origin: object, request?: RequestData): Scopes {
    const scopes: Scopes = { isolation: client.forkScope(this.root.isolation), current: client.forkScope(this.root.current) };
    this.collect([scopes.isolation, scopes.current]);
    this.enter(scopes, origin, request);
    return scopes;
  }

  /** The request the active scopes were made for. */
  request(): RequestData | undefined {
    return find(this, this.als.getStore())?.request;
  }
}

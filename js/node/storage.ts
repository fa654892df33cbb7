/**
 * Scope storage for Node: the active scopes live in an `AsyncLocalStorage`, so
 * `withScope`, `withIsolationScope` and `continueTrace` keep their own scopes across every
 * `await`, timer and event callback started inside them (the scopes are dropped from the
 * core once nothing holds them), and concurrent requests never see each other's data.
 *
 * One `AsyncLocalStorage` serves every client (Node keeps each instance alive until it is
 * disabled, so one per client would leak with per-request clients), and every copy of this
 * module in the process (found through a global symbol). Its store is a short
 * chain of frames, each owned by one client's storage; a client reads the nearest frame
 * it owns, else its root scopes.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { OxeyeClient, Scopes, ScopeStorage } from "../api/client.js";
import type { Scope } from "../api/scope.js";
import type { RequestData } from "../frameworks/request.js";

/** One entry of the async context. */
interface Frame {
  owner: NodeScopeStorage;
  scopes: Scopes;
  /** The incoming request these scopes were made for, if any. */
  request?: RequestData;
  /** The Node request object a frame was entered for (frames of one request chain together). */
  origin?: object;
  parent?: Frame;
}

// One per process, even when a framework bundles several copies of this module.
const SLOT = Symbol.for("oxeye.node.scopes");
const als: AsyncLocalStorage<Frame> = ((globalThis as unknown as Record<symbol, AsyncLocalStorage<Frame> | undefined>)[SLOT] ??=
  new AsyncLocalStorage<Frame>());

function find(owner: NodeScopeStorage, frame: Frame | undefined): Frame | undefined {
  for (let f = frame; f; f = f.parent) if (f.owner === owner) return f;
  return undefined;
}

/** A client's scope storage over the shared `AsyncLocalStorage`. */
export class NodeScopeStorage implements ScopeStorage {
  /** Drops a scope from the core once nothing holds it (`collect`). */
  readonly #collected?: FinalizationRegistry<number>;

  constructor(
    readonly root: Scopes,
    client?: OxeyeClient,
  ) {
    if (client && typeof FinalizationRegistry === "function") this.#collected = new FinalizationRegistry((id) => client.dropScopes([{ id } as Scope]));
  }

  /** `run`'s scopes go on in the timers and callbacks `fn` starts: they are dropped once collected, not when `fn` settles. */
  readonly async = true;

  get(): Scopes {
    return find(this, als.getStore())?.scopes ?? this.root;
  }

  /** Drops each of `scopes` (made by `forkScope`) from the core once nothing holds it. */
  collect(scopes: Scope[]): void {
    for (const s of scopes) this.#collected?.register(s, s.id);
  }

  /** Runs `fn` with `scopes` active; the `forked` ones (made for this call) are dropped from the core once collected. */
  run<T>(scopes: Scopes, fn: () => T, forked: Scope[] = []): T {
    this.collect(forked);
    const parent = als.getStore();
    return als.run({ owner: this, scopes, request: find(this, parent)?.request, origin: parent?.origin, parent }, fn);
  }

  /**
   * Makes `scopes` active for the rest of the current synchronous execution and
   * everything it starts (used when a request arrives: its handlers run inside).
   * Frames other clients entered for the same request are kept.
   */
  enter(scopes: Scopes, origin: object, request?: RequestData): void {
    const current = als.getStore();
    const parent = current && current.origin === origin ? current : undefined;
    als.enterWith({ owner: this, scopes, request, origin, parent });
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
    return find(this, als.getStore())?.request;
  }
}

/** The storage of each client the Node platform made, for its request isolation (`http.ts`). */
const storages = new WeakMap<OxeyeClient, NodeScopeStorage>();

/** The Node platform's storage factory. */
export function nodeScopeStorage(root: Scopes, client: OxeyeClient): NodeScopeStorage {
  const storage = new NodeScopeStorage(root, client);
  storages.set(client, storage);
  return storage;
}

/** The Node storage of `client`, when the Node platform made it. */
export function nodeStorageOf(client: OxeyeClient): NodeScopeStorage | undefined {
  return storages.get(client);
}

/**
 * Gives the rest of the current asynchronous context (what runs after this, and what it
 * starts) scopes of its own, forked from `client`'s process-wide ones: the Node platform's
 * `isolateCurrent`. Next.js calls `register()`, and so `init`, while it serves its first
 * request, which the request isolation installed by that `init` never saw begin; without
 * this, what that request set went to the process's scopes and into every later request's
 * events.
 */
export function isolateCurrentContext(client: OxeyeClient): void {
  storages.get(client)?.enterFork(client, {});
}

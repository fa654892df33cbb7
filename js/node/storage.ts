/**
 * Scope storage for Node (`async-scopes.ts`) over one `AsyncLocalStorage` of
 * `node:async_hooks`, shared by every client and every copy of this module in the process
 * (found through a global symbol); the storage of each client the Node platform made, for
 * its request isolation (`http.ts`).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { OxeyeClient, Scopes } from "../api/client.js";
import { AsyncScopeStorage, type Frame } from "../api/async-scopes.js";

// One per process, even when a framework bundles several copies of this module.
const SLOT = Symbol.for("oxeye.node.scopes");
const als: AsyncLocalStorage<Frame> = ((globalThis as unknown as Record<symbol, AsyncLocalStorage<Frame> | undefined>)[SLOT] ??=
  new AsyncLocalStorage<Frame>());

/** The storage of each client the Node platform made, for its request isolation (`http.ts`). */
const storages = new WeakMap<OxeyeClient, AsyncScopeStorage>();

/** The Node platform's storage factory. */
export function nodeScopeStorage(root: Scopes, client: OxeyeClient): AsyncScopeStorage {
  const storage = new AsyncScopeStorage(root, client, als);
  storages.set(client, storage);
  return storage;
}

/** The Node storage of `client`, when the Node platform made it. */
export function nodeStorageOf(client: OxeyeClient): AsyncScopeStorage | undefined {
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

/**
 * Scope storage for edge runtimes that give JavaScript an `AsyncLocalStorage` global
 * (Next.js's edge runtime and middleware, Vercel Edge Functions): the scopes `withScope`,
 * `withIsolationScope` and `continueTrace` make stay theirs across every `await` inside
 * them, so that requests served at the same time never see each other's user or tags.
 * (The default storage swaps the active scopes for the duration of a call: a request
 * arriving while another awaits would read, and fork, the other's scopes.)
 *
 * One `AsyncLocalStorage` serves every client and copy of this module (a runtime may keep
 * each instance alive): its store is a chain of frames, each owned by one client's
 * storage. Forked scopes are dropped from the core once nothing holds them. Without the
 * global, there is none, and the default applies.
 */
import type { OxeyeClient, Scopes, ScopeStorage } from "./client.js";
import type { Scope } from "./scope.js";

interface Frame {
  owner: ScopeStorage;
  scopes: Scopes;
  parent?: Frame;
}

interface ContextStorage {
  getStore(): Frame | undefined;
  run<T>(frame: Frame, fn: () => T): T;
}

const SLOT = Symbol.for("oxeye.edge.scopes");

/** The platform's `scopeStorage` for edge runtimes: undefined where there is no `AsyncLocalStorage`. */
export function edgeScopeStorage(root: Scopes, client: OxeyeClient): ScopeStorage | undefined {
  const g = globalThis as unknown as Record<symbol, ContextStorage | undefined> & { AsyncLocalStorage?: new () => ContextStorage };
  if (typeof g.AsyncLocalStorage != "function") return undefined;
  const als = (g[SLOT] ??= new g.AsyncLocalStorage());
  const collected = typeof FinalizationRegistry == "function" ? new FinalizationRegistry<number>((id) => client.dropScopes([{ id } as Scope])) : undefined;
  const storage: ScopeStorage = {
    async: true,
    get() {
      for (let f = als.getStore(); f; f = f.parent) if (f.owner === storage) return f.scopes;
      return root;
    },
    run(scopes, fn, forked = []) {
      for (const s of forked) collected?.register(s, s.id);
      return als.run({ owner: storage, scopes, parent: als.getStore() }, fn);
    },
  };
  return storage;
}

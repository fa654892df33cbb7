/**
 * Scope storage for edge runtimes that give JavaScript an `AsyncLocalStorage` global
 * (Next.js's edge runtime and middleware, Vercel Edge Functions): the storage of
 * `async-scopes.ts` over one such instance, shared by every client and copy of this
 * module, so that the scopes `withScope`, `withIsolationScope` and `continueTrace` make
 * stay theirs across every `await` inside them and requests served at the same time never
 * see each other's user or tags. (The default storage swaps the active scopes for the
 * duration of a call: a request arriving while another awaits would read, and fork, the
 * other's scopes.) Without the global, there is none, and the default applies.
 */
import type { OxeyeClient, Scopes, ScopeStorage } from "./client.js";
import { AsyncScopeStorage, type ContextStorage } from "./async-scopes.js";

const SLOT = Symbol.for("oxeye.edge.scopes");

/** The platform's `scopeStorage` for edge runtimes: undefined where there is no `AsyncLocalStorage`. */
export function edgeScopeStorage(root: Scopes, client: OxeyeClient): ScopeStorage | undefined {
  const g = globalThis as unknown as Record<symbol, ContextStorage | undefined> & { AsyncLocalStorage?: new () => ContextStorage };
  if (typeof g.AsyncLocalStorage != "function") return undefined;
  return new AsyncScopeStorage(root, client, (g[SLOT] ??= new g.AsyncLocalStorage()));
}

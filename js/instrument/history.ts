/**
 * Navigation: `history.pushState` / `replaceState` (wrapped once) and `popstate` (back,
 * forward, fragment changes) become breadcrumbs with category `navigation` and
 * `data: { from, to }` (when history breadcrumbs are on), and call the context's
 * `navigation` (a new session starts). Same-origin URLs are shown as path, query and
 * fragment; secrets are removed from the query.
 */
import { all, claim, replace, type Hook } from "./patch.js";
import type { InstrumentContext } from "./requests.js";
import { relativeUrl } from "./url.js";

const hook: Hook<InstrumentContext> = {};
let lastHref: string | undefined;

/** The document's base URL (`<base href>`, else the page's), which requests resolve against; else the page's URL. */
export function baseUrl(): string | undefined {
  try {
    return (globalThis as { document?: { baseURI?: string } }).document?.baseURI || href();
  } catch {
    return href();
  }
}

/** The page's URL, if it can be read. */
export function href(): string | undefined {
  try {
    return globalThis.location?.href;
  } catch {
    /* undefined */
  }
}

function navigated(): void {
  const owner = hook.owner;
  const to = href();
  const from = lastHref;
  lastHref = to;
  if (!owner || !to || from === to) return;
  try {
    owner.navigation?.();
  } catch {
    /* never break navigation */
  }
  if (owner.crumbs.history === false) return;
  try {
    owner.client.addBreadcrumb({
      category: "navigation",
      data: { from: from == null ? undefined : relativeUrl(from, to), to: relativeUrl(to, to) },
    });
  } catch {
    /* never break navigation */
  }
}

/** Records navigation; returns the uninstaller. */
export function instrumentHistory(ctx: InstrumentContext): () => void {
  const g = globalThis as { history?: object; addEventListener?: Function; removeEventListener?: Function };
  if (!g.history || typeof g.addEventListener !== "function") return () => {};
  lastHref = href();
  return claim(hook, ctx, () => {
    const wrap = (name: string) =>
      replace(g.history!, name, (original) =>
        function (this: unknown, ...args: unknown[]) {
          const out = original.apply(this, args);
          navigated();
          return out;
        },
      );
    const restore = all([wrap("pushState"), wrap("replaceState")]);
    g.addEventListener!("popstate", navigated);
    return () => {
      g.removeEventListener?.("popstate", navigated);
      return restore ? restore() : true;
    };
  });
}

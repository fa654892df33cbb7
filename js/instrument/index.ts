/**
 * Installs the automatic instrumentation of the default client (`init`): trace and
 * request id propagation on fetch and XHR, request tracking for error correlation, and
 * console, request, navigation and click breadcrumbs. Browsers get everything by default;
 * Node only what is asked for (`breadcrumbs: { fetch: true, console: true }`, or
 * `tracePropagationTargets`). `client.close()` uninstalls it.
 */
import type { OxeyeClient } from "../api/client.js";
import { addCaptureHook } from "../api/capture-hooks.js";
import type { BreadcrumbOptions, Options, Pattern } from "../api/types.js";
import { CONSOLE_LEVELS, instrumentConsole, recordConsole } from "./console.js";
import { instrumentDom, recordClick } from "./dom.js";
import { instrumentFetch } from "./fetch.js";
import { baseUrl, href, instrumentHistory } from "./history.js";
import { requestTracker, type InstrumentContext } from "./requests.js";
import { isSdkUrl } from "./url.js";
import { instrumentXhr } from "./xhr.js";
import { spotlightUrl } from "../delivery/delivery.js";


function crumbFlag(o: Options["breadcrumbs"], key: keyof BreadcrumbOptions, byDefault: boolean): boolean {
  if (typeof o === "boolean") return o;
  if (o && typeof o === "object" && o[key] !== undefined) {
    const v = o[key];
    return Array.isArray(v) ? v.length > 0 : !!v;
  }
  return byDefault;
}

function consoleLevels(o: Options["breadcrumbs"]): readonly string[] {
  const v = o && typeof o === "object" ? o.console : undefined;
  return Array.isArray(v) ? v.filter((l) => (CONSOLE_LEVELS as readonly string[]).includes(l)) : CONSOLE_LEVELS;
}

/**
 * Installs instrumentation for `client` on this runtime; returns the uninstaller.
 * `navigation` is called on each history navigation (browser sessions).
 */
export function installInstrumentation(client: OxeyeClient, runtime: string, navigation?: () => void): () => void {
  const o = client.options;
  const [requestIdName, isHeaderName, shouldPropagate, isRequest, requestWith, headersWith] = client.platform.requestRules!;
  const browser = runtime === "browser";
  const targets: Pattern[] | undefined = Array.isArray(o.tracePropagationTargets) ? o.tracePropagationTargets : undefined;
  const propagation = targets ? targets.length > 0 : browser;
  // Requests resolve against the document's base URL (a `<base href>` may name another
  // origin), as fetch and XHR resolve them; "same origin" is the page's own.
  const requestBase = () => (browser ? baseUrl() : undefined);
  const spotlight = spotlightUrl(o.spotlight);
  let ready = false;
  void client.ready.then(() => (ready = true));
  const tracker = requestTracker(client, requestBase);
  const crumbs = {
    fetch: crumbFlag(o.breadcrumbs, "fetch", browser),
    xhr: crumbFlag(o.breadcrumbs, "xhr", browser),
    history: crumbFlag(o.breadcrumbs, "history", browser),
  };
  const [idHeader, badIdHeader] = requestIdName(o.requestIdHeader);
  if (badIdHeader) client.log(`requestIdHeader ${JSON.stringify(o.requestIdHeader)} is not a header name; ${idHeader} is used`);
  const ctx: InstrumentContext = {
    client,
    tracker,
    propagates: (url) => propagation && shouldPropagate(url, targets, requestBase(), browser ? href() : undefined),
    isSdkUrl: (url) => isSdkUrl(url, o.tunnel) || (!!spotlight && String(url).startsWith(spotlight)),
    requestIdHeader: idHeader,
    rules: { isRequest, requestWith, headersWith },
    responseHeaders: Array.isArray(o.requestIdResponseHeaders)
      ? o.requestIdResponseHeaders.filter(isHeaderName)
      : ["X-Request-ID"],
    traceparent: o.propagateTraceparent === true,
    crumbs,
    navigation,
    ready: () => ready,
  };
  const cleanups: Array<() => void> = [addCaptureHook(client, tracker.hook)];
  const add = (name: string, install: (ctx: InstrumentContext) => () => void) => {
    try {
      cleanups.push(install(ctx));
    } catch (e) {
      client.log(`${name} instrumentation not installed: ${e}`);
    }
  };
  if (crumbs.fetch || propagation) {
    add("fetch", instrumentFetch);
    const more = client.platform.instrumentRequests;
    if (more) add("http", more);
  }
  if (crumbs.xhr || propagation) add("XMLHttpRequest", instrumentXhr);
  const levels = crumbFlag(o.breadcrumbs, "console", browser) ? new Set<string>(consoleLevels(o.breadcrumbs)) : new Set<string>();
  const clicks = crumbFlag(o.breadcrumbs, "dom", browser);
  if (levels.size) add("console", (c) => instrumentConsole(c, levels));
  if (crumbs.history || navigation) add("history", instrumentHistory);
  if (clicks) add("click", instrumentDom);
  // What the loader noted before now (waiting in the client's queue), recorded as the
  // instrumentation above records it.
  const early = client.platform.early;
  if (early) {
    const record = (early.record = (at, level, what) =>
      level ? recordConsole({ ctx, levels }, level, what as unknown[], at) : clicks && recordClick(ctx, what, undefined, at));
    const link = (early.link = (input, hint, of) => of == client && tracker.hook(input, hint));
    cleanups.push(() => {
      if (early.record === record) early.record = undefined;
      if (early.link === link) early.link = undefined;
    });
  }
  return () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        c();
      } catch {
        /* left as a pass-through */
      }
    }
  };
}

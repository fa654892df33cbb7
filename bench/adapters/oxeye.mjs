// oxeye through its public API (the `oxeye` package: the node entry in Node, the browser
// entry in Chromium), set up the way @sentry/browser is in sentry-browser.mjs: init with
// its defaults, tags, extras, user, a context and breadcrumbs on the scope, an in-memory
// transport; in Node without the lines of source around frames, which @sentry/browser does not read.
// Parts of the workload this build of oxeye has no API for are listed in `missing`.
import * as oxeye from "oxeye";
import { breadcrumbs, CONTEXT, DSN, ENVIRONMENT, EXTRA, RELEASE, TAGS, USER } from "../lib/workload.mjs";

export const name = "oxeye";

/**
 * `contextLines`: Node's entry reads the lines of source around each frame by default,
 * which @sentry/browser does not; the comparison turns it off (the same job on both
 * sides), and `oxeye-source-lines.mjs` measures the default.
 */
export async function setup(sink, { contextLines = false } = {}) {
  const missing = [];
  const client = oxeye.init({
    contextLines,
    dsn: DSN,
    release: RELEASE,
    environment: ENVIRONMENT,
    // The workload measures what a capture costs, not a page's storm budget (browsers send
    // at most 60 error events a minute by default; @sentry/browser has no such limit).
    transportOptions: { maxEventsPerMinute: Infinity },
    transport: async (req) => {
      sink.receive(req.body);
      return { status: 200, headers: {} };
    },
  });
  await client.ready;
  const scope = { setTags: oxeye.setTags, setExtras: oxeye.setExtras, setUser: oxeye.setUser, setContext: oxeye.setContext, addBreadcrumb: oxeye.addBreadcrumb };
  let hint;
  if (Object.values(scope).every((f) => typeof f === "function")) {
    scope.setTags(TAGS);
    scope.setExtras(EXTRA);
    scope.setUser(USER);
    scope.setContext("checkout", CONTEXT);
    for (const b of breadcrumbs()) scope.addBreadcrumb(b);
  } else {
    // Older builds: no scope API; tags, extras and user go with each capture instead.
    missing.push("breadcrumbs (no API yet)");
    hint = { tags: TAGS, extra: EXTRA, user: USER, contexts: { checkout: CONTEXT } };
  }
  return {
    missing,
    client,
    captureException: (e) => client.captureException(e, hint),
    captureMessage: (m) => client.captureMessage(m, "warning"),
  };
}

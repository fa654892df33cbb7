// @sentry/browser as an app sets it up: init() with its default integrations, tags,
// extras, user, a context and breadcrumbs on the scope, and an in-memory transport made with the
// SDK's own createTransport (so envelope serialisation and the send buffer are included).
import * as Sentry from "@sentry/browser";
import { breadcrumbs, CONTEXT, DSN, ENVIRONMENT, EXTRA, RELEASE, TAGS, USER } from "../lib/workload.mjs";

export const name = "@sentry/browser";

export async function setup(sink) {
  Sentry.init({
    dsn: DSN,
    release: RELEASE,
    environment: ENVIRONMENT,
    // The default Breadcrumbs integration also records every captured event as a
    // breadcrumb; off, so each event carries exactly the workload's 30 breadcrumbs.
    integrations: [Sentry.breadcrumbsIntegration({ sentry: false })],
    transport: (options) =>
      Sentry.createTransport(options, (req) => {
        sink.receive(req.body);
        return Promise.resolve({ statusCode: 200, headers: {} });
      }),
  });
  Sentry.setTags(TAGS);
  Sentry.setExtras(EXTRA);
  Sentry.setUser(USER);
  Sentry.setContext("checkout", CONTEXT);
  for (const b of breadcrumbs()) Sentry.addBreadcrumb(b);
  return {
    missing: [],
    captureException: (e) => Sentry.captureException(e),
    captureMessage: (m) => Sentry.captureMessage(m, "warning"),
  };
}

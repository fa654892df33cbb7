// @sentry/browser with its default (errors-only) integrations: init, then capture.
import { init, captureException } from "@sentry/browser";

init({ dsn: "https://public@o1.ingest.sentry.io/1" });
try {
  JSON.parse("{");
} catch (e) {
  captureException(e);
}

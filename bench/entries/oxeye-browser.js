// oxeye's browser entry, the way an app uses it: init, then capture an error.
import { init, captureException } from "oxeye";

init({ dsn: "https://public@o1.ingest.sentry.io/1" });
try {
  JSON.parse("{");
} catch (e) {
  captureException(e);
}

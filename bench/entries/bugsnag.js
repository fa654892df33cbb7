// @bugsnag/js (browser build): start, then notify.
import Bugsnag from "@bugsnag/js";

Bugsnag.start({ apiKey: "0123456789abcdef0123456789abcdef" });
try {
  JSON.parse("{");
} catch (e) {
  Bugsnag.notify(e);
}

// @sentry/browser stripped to the bone: a BrowserClient with the fetch transport and the
// stack parser, no integrations at all (no global handlers, no dedupe, no linked errors).
import { BrowserClient, defaultStackParser, getCurrentScope, makeFetchTransport, captureException } from "@sentry/browser";

const client = new BrowserClient({
  dsn: "https://public@o1.ingest.sentry.io/1",
  transport: makeFetchTransport,
  stackParser: defaultStackParser,
  integrations: [],
});
getCurrentScope().setClient(client);
client.init();
try {
  JSON.parse("{");
} catch (e) {
  captureException(e);
}

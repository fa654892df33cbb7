// @sentry/cloudflare: a fetch handler wrapped with withSentry.
import { withSentry, captureException } from "@sentry/cloudflare";

// A different message per request, so no SDK deduplicates the events away.
let n = 0;

export default withSentry((env) => ({ dsn: env.SENTRY_DSN }), {
  async fetch(request) {
    if (new URL(request.url).pathname === "/capture") captureException(new Error(`handled ${++n}`));
    return new Response("ok");
  },
});

// toucan-js: one Toucan per request, captureException, delivery through waitUntil.
import { Toucan } from "toucan-js";

// A different message per request, so no SDK deduplicates the events away.
let n = 0;

export default {
  async fetch(request, env, ctx) {
    const sentry = new Toucan({ dsn: env.SENTRY_DSN, context: ctx, request });
    try {
      if (new URL(request.url).pathname === "/capture") throw new Error(`handled ${++n}`);
      return new Response("ok");
    } catch (e) {
      sentry.captureException(e);
      return new Response("ok");
    }
  },
};

// oxeye's Workers entry: a fetch handler wrapped with withOxeye.
import { withOxeye } from "oxeye";

// A different message per request, so no SDK deduplicates the events away.
let n = 0;

export default {
  fetch: withOxeye(
    (env) => ({ dsn: env.SENTRY_DSN }),
    async (request, env, ctx) => {
      if (new URL(request.url).pathname === "/capture") ctx.oxeye.captureException(new Error(`handled ${++n}`));
      return new Response("ok");
    },
  ),
};

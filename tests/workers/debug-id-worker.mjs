// A worker whose file carries what `sentry-cli sourcemaps inject` writes at the top of a
// bundle: its own stack recorded under a debug id in `_sentryDebugIds`.
import { withOxeye } from "../../dist/entrypoints/workerd.js";

(() => {
  const g = globalThis;
  const stack = new Error().stack;
  if (stack) (g._sentryDebugIds ??= {})[stack] = "d0d0d0d0-1111-4222-8333-444455556666";
})();

function failInWorker() {
  throw new TypeError("failed in the injected worker");
}

export default {
  fetch: withOxeye(
    (env) => ({ dsn: env.SENTRY_DSN }),
    async (request, env, ctx) => {
      try {
        failInWorker();
      } catch (e) {
        return new Response(ctx.oxeye.captureException(e));
      }
      return new Response("unreachable");
    },
  ),
};

// A module worker for the release-health test: `withOxeye` counts each request as a
// request-mode session. `?n=` picks what the request does: 3, 13 and 23 capture a handled
// error (errored), 7 and 27 throw (crashed), the rest answer ok (exited).
import { withOxeye } from "../../dist/entrypoints/workerd.js";

export default {
  fetch: withOxeye(
    (env) => ({ dsn: env.SENTRY_DSN, release: "sessions-worker@1.0.0", environment: "edge" }),
    async (request, env, ctx) => {
      const n = Number(new URL(request.url).searchParams.get("n"));
      if (n === 3 || n === 13 || n === 23) {
        ctx.oxeye.captureException(new Error(`handled ${n}`));
        return new Response("handled", { status: 500 });
      }
      if (n === 7 || n === 27) throw new Error(`unhandled ${n}`);
      return new Response("ok");
    },
  ),
};

// A module worker for the release-health test: `withOxeye` counts each request as a
// request-mode session. `?n=` picks what the request does: 3, 13 and 23 capture a handled
// error (errored), 7 and 27 throw (crashed), 33 captures a handled error and 43 rejects in
// work handed to `ctx.waitUntil` after the response (errored, crashed), the rest answer ok
// (exited).
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
      // Work that outlives the response: a handled capture (errored), a rejection (crashed).
      const later = (fn) => ctx.waitUntil(new Promise((r) => setTimeout(r, 30)).then(fn));
      if (n === 33) later(() => ctx.oxeye.captureException(new Error(`handled later ${n}`)));
      if (n === 43)
        later(() => {
          throw new Error(`rejected later ${n}`);
        });
      return new Response("ok");
    },
  ),
};

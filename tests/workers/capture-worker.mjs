// A module worker using oxeye the way an app would: `withOxeye` makes a client per
// request; a bug in the handler is captured, delivered through ctx.waitUntil, and rethrown.
import { withOxeye } from "../../dist/entrypoints/workerd.js";

function parseOrder(body) {
  // The bug: `items` is missing, so `.length` of undefined throws a TypeError.
  return body.items.length;
}

export default {
  fetch: withOxeye(
    (env) => ({ dsn: env.SENTRY_DSN, release: "worker@1.0.0", environment: "edge" }),
    async (request, env, ctx) => {
      const url = new URL(request.url);
      if (url.pathname === "/handled") {
        const id = ctx.oxeye.captureException(new RangeError("handled in the worker"));
        return new Response(id);
      }
      if (url.pathname === "/user") {
        // Two requests in flight at once must not see each other's scope data.
        const user = url.searchParams.get("id");
        ctx.oxeye.getIsolationScope().setUser({ id: user }).setTag("user_tag", user);
        await new Promise((r) => setTimeout(r, Number(url.searchParams.get("wait") ?? 0)));
        ctx.oxeye.captureMessage(`request of ${user}`);
        return new Response("ok");
      }
      if (url.pathname === "/traced") {
        // The caller's trace (sentry-trace / baggage) and request id are this request's.
        const id = ctx.oxeye.captureMessage("traced request", "warning");
        return Response.json({ id, trace: ctx.oxeye.getTraceData() });
      }
      if (url.pathname === "/crash") {
        return new Response(String(parseOrder({})));
      }
      return new Response("ok");
    },
  ),
};

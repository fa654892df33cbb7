// A Worker calling another Worker's `WorkerEntrypoint` over a service binding (RPC).
import { withOxeye } from "../../dist/frameworks/cloudflare/index.js";

export default withOxeye((env) => ({ dsn: env.SENTRY_DSN }), {
  async fetch(request, env) {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n"));
    if (url.pathname === "/note") return new Response(await env.PRICING.note(`note ${n}`));
    if (url.pathname === "/fail") return env.PRICING.fail().then(() => new Response("no"), (e) => new Response(String(e.message ?? e), { status: 502 }));
    try {
      return new Response(String(await env.PRICING.price(n)));
    } catch (e) {
      return new Response(`${e.name}: ${e.message}`, { status: 502 });
    }
  },
});

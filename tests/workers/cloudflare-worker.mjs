// A module worker using `oxeye/cloudflare` the way an app would: `withOxeye` over an
// ExportedHandler object (fetch, scheduled, queue), and a wrapped Durable Object.
import { createClient, instrumentDurableObject, withOxeye } from "../../dist/frameworks/cloudflare/index.js";
// `oxeye` itself, as code shared with a Node or browser build imports it.
import * as top from "../../dist/entrypoints/workerd.js";

let moduleClient;

class CounterBase {
  constructor(state, env) {
    this.state = state;
    this.env = env;
  }
  async fetch(request) {
    if (new URL(request.url).pathname.endsWith("/boom")) throw new SyntaxError("durable object failed");
    return new Response("counted");
  }
}

export const Counter = instrumentDurableObject((env) => ({ dsn: env.SENTRY_DSN }), CounterBase);

const options = (env) => {
  if (env.OPTIONS_THROW === "yes") throw new Error("misconfigured");
  return {
    dsn: env.BAD_DSN === "yes" ? "not a dsn" : env.SENTRY_DSN,
    release: "worker@2.0.0",
    environment: "edge",
    tracePropagationTargets: [env.ECHO_URL],
  };
};

export default withOxeye(options, {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const oxeye = ctx.oxeye;
    switch (url.pathname) {
      case "/user": {
        const user = url.searchParams.get("id");
        oxeye.setUser({ id: user });
        oxeye.setTag("user_tag", user);
        oxeye.setExtra("who", user);
        oxeye.setContext("account", { owner: user });
        oxeye.addBreadcrumb({ message: `crumb of ${user}` });
        await new Promise((r) => setTimeout(r, Number(url.searchParams.get("wait") ?? 0)));
        return new Response(oxeye.captureMessage(`request of ${user}`));
      }
      case "/crash":
        throw new TypeError("handler crashed");
      case "/pass-through":
        ctx.passThroughOnException();
        throw new Error("passed through to the origin");
      case "/wait-until": {
        let ran = false;
        ctx.waitUntil(Promise.resolve().then(() => (ran = true)));
        await Promise.resolve();
        return new Response(String(ran));
      }
      case "/later": {
        // Work that outlives the response: what it captures, and what it rejects with.
        const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
        ctx.waitUntil(
          (async () => {
            await sleep(50);
            try {
              throw new URIError("caught after the response");
            } catch (e) {
              oxeye.captureException(e);
            }
          })(),
        );
        ctx.waitUntil(sleep(80).then(() => Promise.reject(new EvalError("rejected after the response"))));
        return new Response("answered");
      }
      case "/fetch": {
        // The global fetch (one request in flight: attributed) and ctx.oxeye.fetch.
        const a = await fetch(`${env.ECHO_URL}/global`).then((r) => r.json());
        const b = await oxeye.fetch(`${env.ECHO_URL}/bound`).then((r) => r.json());
        const id = oxeye.captureMessage("after outgoing calls");
        return Response.json({ id, a, b });
      }
      case "/options": {
        // Runs even when the options callback threw or the DSN is invalid.
        return Response.json({ id: oxeye.captureMessage("no client"), disabled: oxeye.disabledReason ?? null });
      }
      case "/top-level": {
        // Workers have no default client: these exist, drop what they are given and say so once.
        // (As a framework's server hooks shared with a Node build call it.)
        const initClient = top.init({ dsn: env.SENTRY_DSN });
        if (!/`enabled` is false/.test(initClient.disabledReason ?? "")) throw new Error(`init's client is on: ${initClient.disabledReason}`);
        top.setTag("where", "top");
        const scoped = top.withScope((scope) => (scope.setTag("in", "scope"), "ran"));
        const id = top.captureException(new Error("captured on oxeye itself"));
        return Response.json({ id, scoped, data: top.getTraceData(), client: top.getClient() ?? null, flushed: await top.flush(100) });
      }
      case "/shared": {
        moduleClient ??= createClient({ dsn: env.SENTRY_DSN });
        moduleClient.setTag("user", url.searchParams.get("id"));
        await new Promise((r) => setTimeout(r, 20));
        return new Response(moduleClient.captureMessage("shared"));
      }
      case "/object":
      case "/object/boom": {
        const stub = env.COUNTER.get(env.COUNTER.idFromName("c1"));
        return stub.fetch(request);
      }
      case "/object/traced/boom": {
        // As docs/workers.md shows: the object continues this request's trace.
        const headers = new Headers(request.headers);
        for (const [name, value] of Object.entries(oxeye.getTraceData())) headers.set(name, value);
        const stub = env.COUNTER.get(env.COUNTER.idFromName("c1"));
        try {
          return await stub.fetch(new Request(request, { headers }));
        } catch (e) {
          // Kept only on the object's side when the Worker answers without rethrowing.
          if (url.searchParams.has("catch") && e instanceof Error && e.remote) return new Response("the object failed", { status: 502 });
          throw e;
        }
      }
      default:
        return new Response("ok");
    }
  },
  async scheduled(controller, env, ctx) {
    ctx.oxeye.setTag("job", "nightly");
    throw new RangeError(`cron ${controller.cron} failed`);
  },
  async queue(batch, env, ctx) {
    ctx.oxeye.addBreadcrumb({ message: `batch of ${batch.messages.length}` });
    throw new Error(`queue ${batch.queue} failed`);
  },
});

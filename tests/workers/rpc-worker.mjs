// A Worker offering RPC, wrapped by `oxeye/cloudflare` the way an app would: a named
// `WorkerEntrypoint` and the default export as `WorkerEntrypoint` classes given to
// `withOxeye` (the default export inside a subclass, as `wrangler dev` serves it), and a
// Durable Object (extending `DurableObject`) with RPC methods given to
// `instrumentDurableObject`, subclassed with private fields of its own.
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { instrumentDurableObject, withOxeye } from "../../dist/frameworks/cloudflare/index.js";

const options = (env) => ({ dsn: env.SENTRY_DSN, release: "rpc@1.0.0" });

class Pricing extends WorkerEntrypoint {
  #rate = 2;
  async price(n) {
    this.ctx.oxeye.setTag("pricing", String(n));
    if (n < 0) throw new RangeError(`no price for ${n}`);
    return n * this.#rate + this.rounding();
  }
  // The object's own calls are not RPC: an error it catches itself is not reported.
  rounding() {
    try {
      this.check();
    } catch {
      return 0;
    }
    return 1;
  }
  check() {
    throw new Error("checked inside the entrypoint");
  }
  async fail() {
    throw "a plain string was thrown";
  }
  async note(text) {
    return this.ctx.oxeye.captureMessage(text);
  }
}
export const PricingEntrypoint = withOxeye(options, Pricing);

class Counter extends DurableObject {
  #count = 0;
  async increment(by) {
    if (by < 0) throw new TypeError(`cannot count down by ${-by}`);
    this.#count += by + this.internal();
    return this.#count;
  }
  internal() {
    try {
      throw new Error("caught inside the object");
    } catch {
      return 0;
    }
  }
  async ring() {
    await this.ctx.storage.setAlarm(Date.now() + 10);
  }
  // The runtime runs a failed alarm again, each run with its retry count.
  async alarm() {
    throw new Error("the alarm failed");
  }
}
// A subclass of the wrapped class, with private fields of its own.
export class CounterObject extends instrumentDurableObject(options, Counter) {
  #bonus = 5;
  async bonus() {
    return this.#bonus;
  }
}

class Front extends WorkerEntrypoint {
  async fetch(request) {
    const url = new URL(request.url);
    const oxeye = this.ctx.oxeye;
    oxeye.setTag("front", "yes");
    if (url.pathname === "/crash") throw new SyntaxError("the front entrypoint failed");
    if (url.pathname === "/ring") return new Response(String(await this.env.COUNTER.get(this.env.COUNTER.idFromName("alarmed")).ring()));
    if (url.pathname === "/bonus") return new Response(String(await this.env.COUNTER.get(this.env.COUNTER.idFromName("c1")).bonus()));
    if (url.pathname === "/counter") {
      const stub = this.env.COUNTER.get(this.env.COUNTER.idFromName("c1"));
      const by = Number(url.searchParams.get("by"));
      try {
        return new Response(String(await stub.increment(by)));
      } catch (e) {
        return new Response(`counter failed: ${e.message}`, { status: 502 });
      }
    }
    return new Response("front");
  }
}
// As `wrangler dev` serves a default export that is a class: a subclass of it, with
// private fields, whose `fetch` reaches the app's through `super.fetch`.
export default class extends withOxeye(options, Front) {
  #dispatch = (request) => super.fetch(request);
  fetch(request) {
    return this.#dispatch(request);
  }
}

/**
 * Test helper: a fake of the wasm `Core` that follows the boundary contract
 * (js/core/core.ts) closely enough for the shim's unit tests. It records every
 * call, builds small envelopes (`{"sent_at":"…","event_id":"…"}` header, one event item),
 * keeps handed-back events until `finish`/`dropPending`, counts outcomes into client
 * reports, and can be told to trap (throw `WebAssembly.RuntimeError`) on a named method.
 * A trapped instance notes any later call into it (`calledAfterTrap`), which must never
 * happen.
 */
const enc = new TextEncoder();

/** A fresh fake-core family: `Core` is the class; `state` is shared by its instances. */
export function fakeCore({ enums, randomBytes = 20 }) {
  const { Verdict, Reason, Category, RequestSessionStatus } = enums;
  const state = { instances: [], trapOn: new Set(), calledAfterTrap: 0, calls: [] };

  function envelope(eventId, item, type = "event") {
    const head = `{"sent_at":"1970-01-01T00:00:00.000Z","event_id":"${eventId}"}\n{"type":"${type}"}\n`;
    return enc.encode(head + item);
  }

  class Core {
    constructor(optionsJson) {
      this.options = JSON.parse(optionsJson);
      this.dead = false;
      this.pending = new Map();
      this.outcomes = [];
      this.scopeOps = [];
      this.crumbs = [];
      this.captures = [];
      this.forks = [];
      this.url = this.options.dsn ? "http://127.0.0.1:9/api/1/envelope/" : undefined;
      this.disabledReason = this.options.dsn ? undefined : "no DSN";
      this.dsnError = undefined;
      this.scrubError = undefined;
      this.release = undefined;
      this.randomBytes = randomBytes;
      this.envelopeBuf = undefined;
      this.category = Category.Error;
      this.quantity = 1;
      this.reason = Reason.Disabled;
      this.detail = "";
      this.event = undefined;
      this.subjects = undefined;
      // release health: session updates as {sid, status} objects, requests as [isolation, status]
      this.sessionError = this.options.release ? undefined : "sessions are not sent: no `release` is set";
      this.session = undefined;
      this.sessionUpdates = [];
      this.requests = [];
      state.instances.push(this);
    }
    enter(name, args) {
      if (this.dead) state.calledAfterTrap++;
      state.calls.push([name, ...args]);
      if (state.trapOn.has(name)) {
        state.trapOn.delete(name);
        this.dead = true;
        throw new WebAssembly.RuntimeError("unreachable");
      }
    }
    get envelope() {
      const e = this.envelopeBuf;
      this.envelopeBuf = undefined;
      return e;
    }
    free() {
      this.enter("free", []);
    }
    capture(input, current, isolation, global, nowMs, random, handBack) {
      // The input arrives as the UTF-8 bytes of its JSON, as the real core gets it; the
      // stacks after it (each after a 0xFF byte) are put back where it refers to them by index.
      let stacks = [];
      if (typeof input !== "string") {
        const parts = [];
        for (let at = 0, i; at <= input.length; at = i + 1) {
          i = input.indexOf(255, at);
          if (i < 0) i = input.length;
          parts.push(new TextDecoder().decode(input.subarray(at, i)));
        }
        [input, ...stacks] = parts;
      }
      // (`handBack` 2: an error dropped before it was built, only counted in the session.)
      if (handBack === 2) {
        this.enter("countInSession", [JSON.parse(input), current, isolation]);
        return Verdict.Drop;
      }
      this.enter("capture", [input, current, isolation, global, nowMs, random, handBack]);
      const parsed = JSON.parse(input);
      const restore = (t) => {
        if (!t || typeof t !== "object") return;
        if (typeof t.stack === "number") t.stack = stacks[t.stack];
        if (typeof t.syntheticStack === "number") t.syntheticStack = stacks[t.syntheticStack];
        restore(t.cause);
        for (const e of t.errors ?? []) restore(e);
      };
      restore(parsed.exception);
      this.captures.push({ input: parsed, scopes: [current, isolation, global], random, handBack });
      if (this.disabledReason) {
        this.reason = Reason.Disabled;
        return Verdict.Drop;
      }
      const exc = parsed.exception;
      const event = {
        event_id: parsed.eventId,
        timestamp: parsed.timestamp / 1000,
        message: parsed.message,
        exception: exc ? { values: [{ type: exc.name ?? exc.kind, value: exc.message ?? exc.text }] } : undefined,
        ...(parsed.event ?? {}),
      };
      if (handBack) {
        this.pending.set(parsed.eventId, event);
        this.event = JSON.stringify(event);
        const messages = [parsed.message, exc?.message, exc?.text].filter((m) => typeof m === "string");
        this.subjects = JSON.stringify({ messages, url: parsed.url ?? null });
        return Verdict.Host;
      }
      this.envelopeBuf = envelope(parsed.eventId, JSON.stringify(event));
      this.category = Category.Error;
      this.quantity = 1;
      const unhandled = parsed.mechanism?.handled === false;
      if (this.session && this.session.status !== "crashed" && (unhandled || exc)) {
        const status = unhandled ? "crashed" : "errored";
        if (this.session.status !== status) {
          this.session.status = status;
          this.sessionUpdates.push({ ...this.session });
        }
      }
      return Verdict.Send;
    }
    finish(eventId, eventJson, nowMs) {
      this.enter("finish", [eventId, eventJson, nowMs]);
      this.pending.delete(eventId);
      JSON.parse(eventJson); // must be valid JSON
      this.envelopeBuf = envelope(eventId, eventJson);
      return Verdict.Send;
    }
    dropPending(eventId, reason) {
      this.enter("dropPending", [eventId, reason]);
      this.pending.delete(eventId);
      this.outcomes.push([reason, Category.Error, 1]);
    }
    forkScope(from, to) {
      this.enter("forkScope", [from, to]);
      this.forks.push([from, to]);
    }
    dropScope(id) {
      this.enter("dropScope", [id]);
    }
    scopeSet(id, op, key, valueJson) {
      this.enter("scopeSet", [id, op, key, valueJson]);
      JSON.parse(valueJson);
      this.scopeOps.push([id, op, key, valueJson]);
    }
    addBreadcrumb(id, crumbJson, nowMs) {
      this.enter("addBreadcrumb", [id, crumbJson, nowMs]);
      this.crumbs.push([id, JSON.parse(crumbJson), nowMs]);
    }
    recordOutcome(reason, category, quantity) {
      this.enter("recordOutcome", [reason, category, quantity]);
      this.outcomes.push([reason, category, quantity]);
    }
    takeClientReport(nowMs) {
      this.enter("takeClientReport", [nowMs]);
      if (!this.outcomes.length) return undefined;
      const body = JSON.stringify({ discarded_events: this.outcomes.map(([r, c, q]) => ({ reason: r, category: c, quantity: q })) });
      this.outcomes = [];
      return envelope("report", body, "client_report");
    }
    traceHeaders(isolation, random) {
      this.enter("traceHeaders", [isolation, random]);
      if (this.disabledReason) return undefined;
      return JSON.stringify({ trace_id: "0".repeat(31) + "1", span_id: "1".repeat(16), sampled: true, dsc: ["trace_id", "0".repeat(31) + "1"] });
    }
    continueTrace(id, traceId, parentSpanId, sampled, dscJson, random) {
      this.enter("continueTrace", [id, traceId, parentSpanId, sampled, dscJson, random]);
      return !!traceId;
    }
    startSession(isolation, nowMs, random) {
      this.enter("startSession", [isolation, nowMs, random]);
      if (this.sessionError) return false;
      this.endSession(nowMs);
      this.session = { sid: state.calls.length, status: "ok", started: nowMs, init: true };
      this.sessionUpdates.push({ ...this.session });
      this.session.init = false;
      return true;
    }
    endSession(nowMs) {
      this.enter("endSession", [nowMs]);
      if (!this.session) return;
      if (this.session.status === "ok") this.sessionUpdates.push({ ...this.session, status: "exited" });
      this.session = undefined;
    }
    takeSessionEnvelope(nowMs) {
      this.enter("takeSessionEnvelope", [nowMs]);
      if (!this.sessionUpdates.length) return undefined;
      const updates = this.sessionUpdates.splice(0);
      this.category = Category.Session;
      this.quantity = updates.length;
      return enc.encode(`{"sent_at":"1970-01-01T00:00:00.000Z"}\n` + updates.map((u) => `{"type":"session"}\n${JSON.stringify(u)}\n`).join(""));
    }
    recordRequestSession(isolation, status, nowMs) {
      this.enter("recordRequestSession", [isolation, status, nowMs]);
      if (!this.sessionError) this.requests.push([isolation, Object.keys(RequestSessionStatus).find((k) => RequestSessionStatus[k] === status)]);
    }
    takeSessionAggregates(nowMs) {
      this.enter("takeSessionAggregates", [nowMs]);
      if (!this.requests.length) return undefined;
      const counts = {};
      for (const [, s] of this.requests.splice(0)) counts[s.toLowerCase()] = (counts[s.toLowerCase()] ?? 0) + 1;
      this.category = Category.Session;
      this.quantity = 1;
      return enc.encode(`{"sent_at":"1970-01-01T00:00:00.000Z"}\n{"type":"sessions"}\n${JSON.stringify({ aggregates: [counts] })}\n`);
    }
  }
  return { Core, state };
}

/**
 * A test platform's `load` for a runtime that links its engine and core (as Node and
 * Workers do): `start` is called at once with `startEngine` and the platform's `loadCore(0)`.
 */
export const linkedLoad = (startEngine) =>
  function load(client, start) {
    start(() => [startEngine, this.loadCore(0)]);
  };

/**
 * A browser's platform over `fake` whose core is held back until `release()` is called, so
 * that what a client does first is queued (`startWhenLoaded` and `startEngine` from the
 * shim under test).
 */
export function gatedPlatform(fake, startWhenLoaded, startEngine) {
  let release;
  const gate = new Promise((r) => (release = r));
  const platform = {
    runtime: "browser",
    loadCore: async () => (await gate, fake.Core),
    load(client, start) {
      startWhenLoaded(client, start, Promise.resolve(startEngine), this.loadCore(0));
    },
  };
  return { platform, release };
}

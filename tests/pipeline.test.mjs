// Scopes, breadcrumbs and the event pipeline through the real wasm core (Node entry):
// merge order, callbacks (processors, beforeSend, beforeBreadcrumb) including ones that
// throw, filters, linked errors, dedupe, environment configuration, and client reports
// for every drop (HTTP status filtering: http-errors.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as oxeye from "../dist/entrypoints/node.js";
import { discarded, DSN, pipelineSuite } from "./helpers/pipeline-suite.mjs";
import { captureConsole } from "./helpers/console-lines.mjs";

const setup = pipelineSuite();

test("top-level setters write to the isolation scope; scopes merge global < isolation < current < capture", async () => {
  const s = setup({ initialScope: { tags: { team: "checkout" }, user: { id: "u-0" } } });
  oxeye.getGlobalScope().setTag("layer", "global").setTag("region", "eu");
  oxeye.setTag("layer", "isolation");
  oxeye.setUser({ id: "u-1", email: "ada@example.com" });
  oxeye.setContext("order", { id: "o-9", total: 12.5 });
  oxeye.withScope((scope) => {
    scope.setTag("layer", "current").setLevel("warning").setFingerprint(["checkout", "{{ default }}"]).setTransactionName("POST /pay");
    oxeye.captureException(new Error("inside"), { tags: { capture: "yes" } });
  });
  oxeye.captureException(new Error("outside"));
  await oxeye.flush(2000);
  const [inside, outside] = s.events();
  assert.deepEqual(inside.tags, { team: "checkout", layer: "current", region: "eu", capture: "yes" });
  assert.equal(inside.level, "warning");
  assert.deepEqual(inside.fingerprint, ["checkout", "{{ default }}"]);
  assert.equal(inside.transaction, "POST /pay");
  assert.deepEqual(inside.user, { id: "u-1", email: "ada@example.com" });
  assert.deepEqual(inside.contexts.order, { id: "o-9", total: 12.5 });
  assert.equal(outside.tags.layer, "isolation", "withScope's changes are gone afterwards");
  assert.equal(outside.level, "error");
  assert.equal(outside.transaction, undefined);
  assert.equal(oxeye.lastEventId(), outside.event_id);
});

test("a scope's level applies to every event captured in it, over captureMessage's and an event's own level; a capture context's level wins", async () => {
  const s = setup();
  oxeye.withScope((scope) => {
    scope.setLevel("warning");
    oxeye.captureMessage("own level error", "error");
    oxeye.captureEvent({ message: "own level debug", level: "debug" });
    oxeye.captureMessage("capture context", { level: "fatal" });
    oxeye.captureException(new Error("capture context hint"), { level: "info" });
  });
  oxeye.captureMessage("no scope level", "error");
  await oxeye.flush(2000);
  const level = Object.fromEntries(s.events().map((e) => [e.logentry?.formatted ?? e.message ?? e.exception.values[0].value, e.level]));
  assert.deepEqual(level, { "own level error": "warning", "own level debug": "warning", "capture context": "fatal", "capture context hint": "info", "no scope level": "error" });
});

test("scope.clear() empties data and breadcrumbs and keeps the scope's event processors; a scope made with new Scope() never throws; callbacks that are no functions are named in optionErrors", async () => {
  const s = setup({ beforeSend: "not a function", beforeBreadcrumb: 42 });
  assert.deepEqual(s.client.optionErrors.filter((e) => /before(Send|Breadcrumb)/.test(e)).length, 2, JSON.stringify(s.client.optionErrors));
  oxeye.withScope((scope) => {
    scope.addEventProcessor((e) => ({ ...e, tags: { ...e.tags, processed: "yes" } }));
    scope.setTag("cleared", "no");
    scope.clear();
    oxeye.captureException(new Error("after clear"));
  });
  const detached = new oxeye.Scope();
  assert.equal(detached.setTag("a", "b").setUser({ id: "1" }), detached, "chains, and does nothing");
  await oxeye.flush(2000);
  const ev = s.events().find((e) => e.exception?.values[0].value === "after clear");
  assert.equal(ev.tags?.processed, "yes", "the processor stayed");
  assert.equal(ev.tags?.cleared, undefined);
});

test("setExtra and setExtras both work, and data-bearing events arrive (the bulk setter exists)", async () => {
  const s = setup();
  oxeye.withScope((scope) => {
    scope.setExtras({ host: "grok.com", method: "GET", path: "/chat" });
    scope.setExtra("status", 200);
    oxeye.captureMessage("TRACE.CAPTURE.001", "info");
  });
  oxeye.setExtras({ cyclic: (() => { const o = { a: 1 }; o.self = o; return o; })() });
  oxeye.captureMessage("with cyclic extra");
  await oxeye.flush(2000);
  const [trace, cyclic] = s.events();
  assert.deepEqual(trace.extra, { host: "grok.com", method: "GET", path: "/chat", status: 200 });
  assert.equal(cyclic.extra.cyclic.self, "[Circular ~]");
});

test("withIsolationScope forks isolation and current; async callbacks restore after they settle", async () => {
  const s = setup();
  oxeye.setTag("request", "outer");
  await oxeye.withIsolationScope(async (iso) => {
    iso.setTag("request", "inner");
    oxeye.setUser({ id: "inner-user" });
    await new Promise((r) => setTimeout(r, 5));
    oxeye.captureMessage("in isolation");
  });
  oxeye.captureMessage("after isolation");
  await oxeye.flush(2000);
  const [a, b] = s.events();
  assert.equal(a.tags.request, "inner");
  assert.equal(a.user.id, "inner-user");
  assert.equal(b.tags.request, "outer");
  assert.equal(b.user, undefined);
  assert.throws(() => oxeye.withScope(() => { throw new Error("app error"); }), /app error/, "app errors pass through unchanged");
});

test("setUser(null), clear and clearBreadcrumbs", async () => {
  const s = setup();
  oxeye.setUser({ id: "x" });
  oxeye.setUser(null);
  oxeye.addBreadcrumb({ message: "gone" });
  oxeye.getIsolationScope().clearBreadcrumbs();
  oxeye.getCurrentScope().setTag("t", "1").clear();
  oxeye.captureMessage("clean");
  await oxeye.flush(2000);
  const [ev] = s.events();
  assert.equal(ev.user, undefined);
  assert.equal(ev.breadcrumbs, undefined);
  assert.equal(ev.tags, undefined);
});

test("breadcrumbs: ring buffer of maxBreadcrumbs, beforeBreadcrumb can change or drop, 0 disables", async () => {
  let s = setup({
    maxBreadcrumbs: 3,
    beforeBreadcrumb: (crumb) => (crumb.category === "noise" ? null : { ...crumb, data: { ...crumb.data, seen: true } }),
  });
  for (let i = 0; i < 5; i++) oxeye.addBreadcrumb({ category: "nav", message: `step ${i}` });
  oxeye.addBreadcrumb({ category: "noise", message: "dropped" });
  oxeye.captureMessage("with trail");
  await oxeye.flush(2000);
  const crumbs = s.events()[0].breadcrumbs.values;
  assert.deepEqual(crumbs.map((c) => c.message), ["step 2", "step 3", "step 4"]);
  assert.equal(crumbs[0].data.seen, true);
  assert.ok(crumbs[0].timestamp > 1e9, "timestamps are filled in");
  s = setup({ maxBreadcrumbs: 0 });
  oxeye.addBreadcrumb({ message: "never" });
  oxeye.captureMessage("no trail");
  await oxeye.flush(2000);
  assert.equal(s.events()[0].breadcrumbs, undefined);
});

test("breadcrumbs: only the newest maxBreadcrumbs of a scope are ever read and written, once a capture or a fork needs them", async () => {
  const s = setup();
  await oxeye.getClient().ready;
  let reads = 0;
  const crumb = (i) => ({
    message: `line ${i}`,
    data: {
      get detail() {
        reads++;
        return { i };
      },
    },
  });
  for (let i = 0; i < 1000; i++) oxeye.addBreadcrumb(crumb(i));
  assert.equal(reads, 0, "nothing is normalised when a breadcrumb is added");
  oxeye.captureMessage("after 1,000 breadcrumbs");
  assert.equal(reads, 100, "the newest 100 are read, once");
  // A fork takes the scope's breadcrumbs along: they are written first.
  oxeye.addBreadcrumb(crumb(1000));
  await oxeye.withIsolationScope(async () => oxeye.captureMessage("in a fork"));
  await oxeye.flush(2000);
  const [first, forked] = s.events();
  assert.deepEqual(first.breadcrumbs.values.map((c) => c.message).slice(0, 2), ["line 900", "line 901"]);
  assert.equal(first.breadcrumbs.values.at(-1).data.detail.i, 999);
  assert.equal(forked.breadcrumbs.values.at(-1).message, "line 1000");
  assert.equal(reads, 101);
});

test("breadcrumb levels are Sentry's five: `log` (console.log's) is sent as info, `warn` as warning, `critical` as fatal", async () => {
  const s = setup();
  for (const level of ["log", "warn", "critical", "bogus", "debug", "error"]) oxeye.addBreadcrumb({ message: `level ${level}`, level });
  oxeye.addBreadcrumb({ message: "no level" });
  oxeye.captureMessage("levels");
  await oxeye.flush(2000);
  const [ev] = s.events();
  assert.deepEqual(
    ev.breadcrumbs.values.map((b) => [b.message, b.level]),
    [["level log", "info"], ["level warn", "warning"], ["level critical", "fatal"], ["level bogus", "info"], ["level debug", "debug"], ["level error", "error"], ["no level", undefined]],
  );
});

test("a throwing beforeBreadcrumb keeps the breadcrumb and never throws", async () => {
  const s = setup({ beforeBreadcrumb: () => { throw new Error("oops"); } });
  oxeye.addBreadcrumb({ message: "kept" });
  oxeye.captureMessage("m");
  await oxeye.flush(2000);
  assert.equal(s.events()[0].breadcrumbs.values[0].message, "kept");
});

test("every drop is counted in one batched client report: sample_rate, event_processor, before_send", async () => {
  let s = setup({ sampleRate: 0 });
  for (let i = 0; i < 5; i++) oxeye.captureException(new Error(`sampled ${i}`));
  await oxeye.flush(2000);
  assert.equal(s.events().length, 0);
  assert.deepEqual(discarded(s.reports()), { "sample_rate/error": 5 });
  assert.equal(s.reports().length, 1, "one report, not one per drop");

  s = setup({ beforeSend: (ev) => (ev.exception?.values?.[0]?.value === "drop me" ? null : ev) });
  oxeye.addEventProcessor((ev) => (ev.tags?.skip ? null : ev));
  oxeye.captureException(new Error("drop me"));
  oxeye.captureException(new Error("keep me"));
  oxeye.captureException(new Error("skipped"), { tags: { skip: "1" } });
  await oxeye.flush(2000);
  assert.deepEqual(s.events().map((e) => e.exception.values[0].value), ["keep me"]);
  assert.deepEqual(discarded(s.reports()), { "before_send/error": 1, "event_processor/error": 1 });
  await oxeye.flush(200);
  assert.equal(s.reports().length, 1, "counts are reported once");
});

test("a beforeSend that returns something other than an event or null drops the event, counted and explained, never sending an empty one", async () => {
  const out = captureConsole(["log"]);
  try {
    const results = [42, "text", true, [1, 2], undefined];
    let i = 0;
    const s = setup({ debug: true, beforeSend: () => results[i++] });
    for (const r of results) oxeye.captureException(new Error(`returns ${JSON.stringify(r)}`));
    await oxeye.flush(2000);
    assert.equal(s.events().length, 0, JSON.stringify(s.events()));
    assert.deepEqual(discarded(s.reports()), { "before_send/error": results.length });
    const said = out.lines.join("\n");
    for (const what of ["returned number, not an event or null", "returned string, not an event or null", "returned boolean, not an event or null", "returned an array, not an event or null", "returned undefined (a missing return?)"]) {
      assert.ok(said.includes(`beforeSend ${what}`), `${what}:\n${said}`);
    }
  } finally {
    out.restore();
  }
});

test("beforeSend may be async and change the event; processors run in scope order", async () => {
  const s = setup({
    beforeSend: async (ev, hint) => {
      await new Promise((r) => setTimeout(r, 5));
      return { ...ev, tags: { ...ev.tags, original: hint.originalException?.message } };
    },
  });
  const order = [];
  oxeye.getGlobalScope().addEventProcessor((ev) => (order.push("global"), ev));
  oxeye.withScope((scope) => {
    scope.addEventProcessor((ev) => (order.push("current"), { ...ev, extra: { processed: true } }));
    oxeye.captureException(new Error("async"));
  });
  assert.equal(await oxeye.flush(2000), true, "flush waits for async callbacks");
  const [ev] = s.events();
  assert.equal(ev.tags.original, "async");
  assert.equal(ev.extra.processed, true);
  assert.deepEqual(order, ["global", "current"]);
});

test("callbacks read a message event's text as event.message, as with Sentry's SDKs, and a message they change is what is sent", async () => {
  const seen = [];
  const s = setup({
    beforeSend: (ev) => {
      seen.push(ev.message);
      if (ev.message?.includes("noisy widget")) return null;
      if (ev.message === "card 4111") ev.message = "card [redacted by the app]";
      return ev;
    },
  });
  oxeye.captureMessage("noisy widget said hello");
  oxeye.captureMessage("card 4111");
  oxeye.captureMessage("kept as it was");
  oxeye.captureException(new Error("no message"));
  await oxeye.flush(2000);
  assert.deepEqual(seen, ["noisy widget said hello", "card 4111", "kept as it was", undefined]);
  const [changed, kept, error] = s.events();
  assert.equal(changed.logentry.formatted, "card [redacted by the app]");
  assert.equal(kept.logentry.formatted, "kept as it was");
  for (const ev of [changed, kept, error]) assert.equal(ev.message, undefined, "sent as logentry only");
  assert.equal(error.logentry, undefined);
  assert.deepEqual(discarded(s.reports()), { "before_send/error": 1 });
});

test("normalizeDepth counts from the container, as Sentry's SDKs do, whichever setter or hint carries the data", async () => {
  const s = setup({ normalizeDepth: 3 });
  const deep = () => ({ deep: { a: { b: { c: 1 } } } });
  oxeye.withScope((scope) => {
    scope.setExtra("one", deep());
    scope.setExtras({ many: deep() });
    scope.setContext("cart", deep());
    scope.setUser({ id: "1", profile: deep() });
    scope.addBreadcrumb({ message: "crumb", data: { info: deep() } });
    oxeye.captureException(new Error("deep"), { extra: { hinted: deep() }, contexts: { order: deep() } });
  });
  await oxeye.flush(2000);
  const [ev] = s.events();
  // What @sentry/core 10 sends for the same calls with normalizeDepth 3: three levels from
  // `extra`, `contexts`, `user` and a breadcrumb's `data`, the fourth summarised.
  const cut = { deep: { a: "[Object]" } };
  assert.deepEqual(ev.extra, { one: cut, many: cut, hinted: cut });
  assert.deepEqual(ev.contexts.cart, cut);
  assert.deepEqual(ev.contexts.order, cut);
  assert.deepEqual(ev.user, { id: "1", profile: cut });
  assert.deepEqual(ev.breadcrumbs.values.at(-1).data, { info: cut });
});

test("callbacks get breadcrumbs as an array, as with Sentry's SDKs, and the array they return is what is sent", async () => {
  let seen;
  const s = setup({
    beforeSend: (ev) => {
      seen = ev.breadcrumbs;
      ev.breadcrumbs = ev.breadcrumbs.filter((b) => b.category !== "noise");
      return ev;
    },
  });
  oxeye.withScope((scope) => {
    scope.addBreadcrumb({ category: "noise", message: "tick" });
    scope.addBreadcrumb({ category: "ui", message: "clicked pay" });
    oxeye.captureException(new Error("with crumbs"));
  });
  await oxeye.flush(2000);
  assert.ok(Array.isArray(seen), "an array");
  assert.deepEqual(seen.map((b) => b.message).slice(-2), ["tick", "clicked pay"]);
  const [ev] = s.events();
  // (Sent in the protocol's `{ values }` form, which servers checking the schema require.)
  assert.deepEqual(ev.breadcrumbs.values.map((b) => b.message).filter((m) => m === "tick" || m === "clicked pay"), ["clicked pay"]);
});

test("a beforeSend that returns a frozen event (as immer's produce does) still has it sent", async () => {
  const s = setup({ beforeSend: (ev) => Object.freeze({ ...ev, tags: Object.freeze({ ...ev.tags, frozen: "yes" }) }) });
  oxeye.withScope((scope) => {
    scope.addBreadcrumb({ message: "before the frozen one" });
    oxeye.captureMessage("frozen result");
  });
  await oxeye.flush(2000);
  const [ev] = s.events();
  assert.equal(ev.logentry.formatted, "frozen result");
  assert.equal(ev.tags.frozen, "yes");
  assert.ok(ev.breadcrumbs.values.some((b) => b.message === "before the frozen one"));
});

test("a capture hint's event_id is the event's id when it is one; anything else gets a new id", async () => {
  const s = setup();
  const given = "0123456789abcdef0123456789abcdef";
  assert.equal(oxeye.captureException(new Error("with id"), { event_id: given }), given);
  assert.equal(oxeye.captureMessage("message with id", { event_id: given.replace(/^0/, "1") }), given.replace(/^0/, "1"));
  assert.equal(oxeye.captureEvent({ message: "event with id", event_id: given.replace(/^0/, "2") }), given.replace(/^0/, "2"));
  const other = oxeye.captureException(new Error("bad id"), { event_id: "not-an-id" });
  assert.match(other, /^[0-9a-f]{32}$/);
  assert.notEqual(other, "not-an-id");
  await oxeye.flush(2000);
  assert.deepEqual(s.events().map((e) => e.event_id), [given, given.replace(/^0/, "1"), given.replace(/^0/, "2"), other]);
});

test("callbacks that throw are caught, logged, and the event is sent with a note (fail open, never silent)", async () => {
  const lines = [];
  const orig = console.log;
  console.log = (...a) => lines.push(a.join(" "));
  let s;
  try {
    s = setup({ debug: true, beforeSend: () => { throw new TypeError("bug in beforeSend"); } });
    oxeye.addEventProcessor(() => { throw new Error("bug in processor"); });
    assert.match(oxeye.captureException(new Error("still arrives")), /^[0-9a-f]{32}$/);
    await oxeye.flush(2000);
  } finally {
    console.log = orig;
  }
  const [ev] = s.events();
  assert.equal(ev.exception.values[0].value, "still arrives");
  assert.deepEqual(ev.contexts.oxeye.callback_errors, ["an event processor threw: Error: bug in processor", "beforeSend threw: TypeError: bug in beforeSend"]);
  assert.ok(lines.some((l) => /beforeSend threw/.test(l)), lines.join("\n"));
});

test("filters: ignoreErrors (string and RegExp), denyUrls/allowUrls, browser noise", async () => {
  const s = setup({ ignoreErrors: ["flaky", /^TimeoutError: /], denyUrls: [/pipeline\.test/] , allowUrls: [] });
  oxeye.captureMessage("a flaky upstream");
  oxeye.captureException(Object.assign(new Error("slow"), { name: "TimeoutError" }));
  oxeye.captureException(new Error("from a denied file"));
  oxeye.captureMessage("ResizeObserver loop completed with undelivered notifications.");
  oxeye.captureMessage("kept message");
  await oxeye.flush(2000);
  assert.deepEqual(s.events().map((e) => e.logentry?.formatted ?? e.exception.values[0].value), ["kept message"]);
  assert.deepEqual(discarded(s.reports()), { "event_processor/error": 4 });
  const allow = setup({ allowUrls: ["https://app.example.com/"] });
  oxeye.captureException(new Error("from this test file, not allowed"));
  await oxeye.flush(2000);
  assert.equal(allow.events().length, 0);
});

test("linked errors: cause chains and AggregateError members, oldest first, with ids", async () => {
  const s = setup({ maxLinkedErrors: 3 });
  const root = new RangeError("disk full");
  const mid = new Error("write failed", { cause: root });
  oxeye.captureException(new Error("save failed", { cause: mid }));
  oxeye.captureException(new AggregateError([new Error("a"), new TypeError("b"), new Error("c"), new Error("d")], "all failed"));
  const loop = new Error("loop");
  loop.cause = loop;
  oxeye.captureException(loop);
  await oxeye.flush(2000);
  const [chain, agg, looped] = s.events().map((e) => e.exception.values);
  assert.deepEqual(chain.map((v) => v.value), ["disk full", "write failed", "save failed"]);
  assert.deepEqual(chain.map((v) => v.mechanism.exception_id), [2, 1, 0]);
  assert.deepEqual(chain.map((v) => v.mechanism.parent_id), [1, 0, undefined]);
  assert.equal(chain[0].mechanism.source, "cause");
  assert.equal(agg.at(-1).mechanism.is_exception_group, true);
  assert.deepEqual(agg.slice(0, -1).map((v) => v.mechanism.source), ["errors[2]", "errors[1]", "errors[0]"], "limited to 3");
  assert.equal(looped.length, 1, "a cycle is cut");
});

test("dedupe: an error identical to the previous one is not sent twice (a counted drop); the same object captured again is its first event, no drop", async () => {
  // Made at one site, so type, value and frames are identical: two objects, one error.
  const twins = () => [0, 1].map(() => new Error("same"));
  const s = setup();
  const [a, b] = twins();
  const id = oxeye.captureException(a);
  assert.equal(oxeye.captureException(a, { tags: { again: "yes" } }), id, "the same object: its first capture's id");
  oxeye.captureException(b);
  oxeye.captureException(new Error("different"));
  await oxeye.flush(2000);
  const events = s.events();
  assert.deepEqual(events.map((e) => e.exception.values[0].value), ["same", "different"]);
  assert.equal(events[0].event_id, id);
  assert.equal(events[0].tags?.again, undefined, "the first capture's data wins");
  // Only the identical other object is a dropped event; the repeated capture of `a` never
  // became one (it used to reach dedupe and be counted here too).
  assert.deepEqual(discarded(s.reports()), { "event_processor/error": 1 });
  const off = setup({ dedupe: false });
  for (const e of twins()) oxeye.captureException(e);
  await oxeye.flush(2000);
  assert.equal(off.events().length, 2);
});

test("configuration from the environment; code wins; environment detection and per-environment defaults", async () => {
  const env = {
    SENTRY_DSN: DSN,
    SENTRY_RELEASE: "mina@1.0.0",
    SENTRY_ENVIRONMENT: "staging",
    SENTRY_SAMPLE_RATE: "1.0",
    SENTRY_DEBUG: "false",
  };
  let s = setup({ dsn: undefined, env });
  oxeye.captureMessage("from env");
  await oxeye.flush(2000);
  assert.equal(s.client.environment, "staging");
  assert.equal(s.events()[0].release, "mina@1.0.0");
  assert.equal(s.events()[0].environment, "staging");

  s = setup({ env, release: "code@2", environment: "production" });
  oxeye.captureMessage("code wins");
  await oxeye.flush(2000);
  assert.equal(s.events()[0].release, "code@2");
  assert.equal(s.events()[0].environment, "production");

  const environments = { development: { sampleRate: 1, debug: true }, production: { sampleRate: 0 } };
  for (const [hostname, expected, sent] of [["localhost", "development", 1], ["checkout.test", "development", 1], ["contest.example.org", "production", 0]]) {
    s = setup({ hostname, environments });
    const orig = console.log;
    console.log = () => {};
    try {
      oxeye.captureMessage("detected");
      await oxeye.flush(2000);
    } finally {
      console.log = orig;
    }
    assert.equal(s.client.environment, expected, hostname);
    assert.equal(s.events().length, sent, hostname);
  }

  const saved = { ...process.env };
  process.env.SENTRY_DSN = DSN;
  process.env.SENTRY_ENVIRONMENT = "from-process-env";
  try {
    s = setup({ dsn: undefined });
    oxeye.captureMessage("process.env");
    await oxeye.flush(2000);
    assert.equal(s.events()[0].environment, "from-process-env");
  } finally {
    delete process.env.SENTRY_DSN;
    delete process.env.SENTRY_ENVIRONMENT;
    Object.assign(process.env, saved);
  }
});

test("tags: null or undefined removes one; a long value or key is cut within Sentry's 200 characters", async () => {
  const s = setup();
  oxeye.setTags({ a: "1", b: "2", c: "3" });
  oxeye.setTag("a", null);
  oxeye.setTag("b", undefined);
  oxeye.setTags({ long: "v".repeat(300), ["k".repeat(300)]: "x" });
  oxeye.captureMessage("tags");
  await oxeye.flush(2000);
  const [ev] = s.events();
  assert.deepEqual(Object.keys(ev.tags).map((k) => k.length), [1, 4, 200]);
  assert.equal(ev.tags.c, "3");
  assert.equal(ev.tags.long, "v".repeat(199) + "…");
  assert.equal(ev.tags["k".repeat(200)], "x", "a key is cut with no mark (Sentry refuses `…` in a tag key)");
});

test("Sentry's capture context: a function gets a scope for that capture alone; captureContext holds one or scope data", async () => {
  const s = setup();
  oxeye.setTag("base", "1");
  const a = oxeye.captureException(new Error("ctx a"), (scope) => {
    scope.setTag("step", "pay").setLevel("warning");
    return scope;
  });
  const b = oxeye.captureMessage("ctx b", { captureContext: (scope) => scope.setExtra("cart", 3), tags: { hinted: "yes" } });
  const c = oxeye.captureException(new Error("ctx c"), { captureContext: { tags: { from: "data" }, level: "info" } });
  const d = oxeye.captureException(new Error("ctx d"), () => {
    throw new Error("a broken capture context");
  });
  const e = oxeye.captureMessage("ctx e");
  await oxeye.flush(2000);
  const ev = (id) => s.events().find((x) => x.event_id === id);
  assert.deepEqual([ev(a).tags, ev(a).level], [{ base: "1", step: "pay" }, "warning"]);
  assert.deepEqual([ev(b).tags, ev(b).extra], [{ base: "1", hinted: "yes" }, { cart: 3 }]);
  assert.deepEqual([ev(c).tags, ev(c).level], [{ base: "1", from: "data" }, "info"]);
  assert.ok(ev(d), "a capture context that throws still gives the event");
  assert.deepEqual([ev(e).tags, ev(e).extra, ev(e).level], [{ base: "1" }, undefined, "info"], "nothing leaks to later captures");
  assert.equal(oxeye.lastEventId(), e);
});

test("an error whose message is too long to send whole keeps its stack frames", async () => {
  const s = setup();
  oxeye.captureException(new Error("q".repeat(3e6)));
  await oxeye.flush(2000);
  const [ev] = s.events();
  const [ex] = ev.exception.values;
  assert.ok(ex.value.length <= 8192 && ex.value.startsWith("qqq"), ex.value.length);
  assert.ok(ex.stacktrace?.frames.some((f) => f.filename?.endsWith("pipeline.test.mjs")), JSON.stringify(ex.stacktrace));
});

test("bad option values are reported (on the console, without debug) and replaced by defaults; init never throws", async () => {
  const out = captureConsole(["warn"]);
  let s;
  try {
    s = setup({ sampleRate: 5, maxBreadcrumbs: "lots", ignoreHttpStatus: "4xx", ignoreErrors: "flaky", normalizeDepth: -1 });
  } finally {
    out.restore();
  }
  const warned = out.lines;
  assert.equal(s.client.optionErrors.length, 5, s.client.optionErrors.join("\n"));
  for (const e of s.client.optionErrors) assert.ok(warned.some((w) => w.includes(e)), `said on the console: ${e}\n${warned.join("\n")}`);
  assert.match(s.client.optionErrors.join("\n"), /sampleRate is not a number from 0 to 1/);
  assert.match(s.client.optionErrors.join("\n"), /maxBreadcrumbs.*"lots"/);
  assert.match(s.client.optionErrors.join("\n"), /`ignoreErrors` has an invalid value "flaky"; it is ignored/);
  assert.match(s.client.optionErrors.join("\n"), /`normalizeDepth` has an invalid value -1; it is ignored/);
  oxeye.captureMessage("still works");
  await oxeye.flush(2000);
  assert.equal(s.events().length, 1);
});

test("automatic context: runtime, culture; a build-time release is used", async () => {
  globalThis.__OXEYE_RELEASE__ = "built@3.1.4";
  try {
    const s = setup();
    oxeye.captureMessage("context");
    await oxeye.flush(2000);
    const [ev] = s.events();
    assert.deepEqual(ev.contexts.runtime, { name: "node", version: process.version });
    assert.ok(ev.contexts.culture.timezone);
    assert.equal(ev.release, "built@3.1.4");
  } finally {
    delete globalThis.__OXEYE_RELEASE__;
  }
});

test("undefined fields are left out, as in JSON, instead of breaking the event", async () => {
  const s = setup();
  oxeye.captureEvent({ message: "sparse", level: undefined, tags: { a: "1", b: undefined }, extra: { list: [1, undefined] } });
  await oxeye.flush(2000);
  const [ev] = s.events();
  assert.equal(ev.level, "error", "an event's default level, not \"[undefined]\"");
  assert.deepEqual(ev.tags, { a: "1" });
  assert.deepEqual(ev.extra.list, [1, null]);
});

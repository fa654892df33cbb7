// The shim against a fake core (no wasm build, no browser, no servers): the typed boundary
// (ScopeOp values, JSON text, one capture call without host stages), a core that fails to
// load, trap recovery, the host stages' bounds, delivery's use of the core's
// category/quantity and sent_at stamp. The boundary normaliser has its own file,
// tests/normalize-unit.test.mjs; the queue before the core is up, tests/queue-unit.test.mjs;
// the browser load schedule and entry chunk,
// tests/browser-load-unit.test.mjs.
// `npm run test:unit` runs it on the shim compiled to target/unit-dist with a stand-in glue
// (OXEYE_UNIT_DIST); `npm test` runs it on dist/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fakeCore, gatedPlatform, linkedLoad } from "./helpers/fake-core.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { OxeyeClient } = await import(`${dist}api/client.js`);
const { startEngine } = await import(`${dist}api/engine.js`);
const { startWhenLoaded } = await import(`${dist}api/async-load.js`);
const { createApi, initDefault } = await import(`${dist}api/api.js`);
const { CALLBACK_TIMEOUT_MS, MAX_PENDING } = await import(`${dist}api/pipeline.js`);
const { MAX_REINSTANTIATE } = await import(`${dist}api/corehost.js`);
const { eventId, randomBytes } = await import(`${dist}core/ids.js`);
const { Delivery } = await import(`${dist}delivery/delivery.js`);
const enums = await import(`${dist}core/enums.js`);
const { Reason, ScopeOp, Category } = enums;

const DSN = "http://pubkey@127.0.0.1:9/42";
const dec = new TextDecoder();

/** A client over a fresh fake core; `sent` collects delivered bodies. */
function setup(options = {}, platformExtra = {}) {
  const fake = fakeCore({ enums });
  const sent = [];
  const transport = async (req) => {
    sent.push(dec.decode(req.body));
    return { status: 200, headers: {} };
  };
  const platform = { runtime: "node", loadCore: () => fake.Core, load: linkedLoad(startEngine), ...platformExtra };
  const client = new OxeyeClient({ dsn: DSN, transport, offline: false, ...options }, platform);
  const core = () => fake.state.instances.at(-1);
  return { client, fake, core, sent, platform };
}

// ---- the typed boundary ---------------------------------------------------------------------

test("without host stages a capture is one core call; input is contract JSON with the client's id", async () => {
  const { client, core, sent } = setup();
  const before = Date.now();
  const id = client.captureException(new TypeError("boom"), { tags: { a: 1 } });
  assert.match(id, /^[0-9a-f]{32}$/);
  const c = core();
  assert.equal(c.captures.length, 1);
  const { input, scopes, random, handBack } = c.captures[0];
  assert.equal(handBack, false);
  assert.deepEqual(scopes, [2, 1, 0]);
  assert.equal(random.length, c.randomBytes);
  assert.equal(input.eventId, id);
  assert.ok(input.timestamp >= before);
  assert.equal(input.exception.kind, "error");
  assert.equal(input.exception.name, "TypeError");
  assert.deepEqual(input.mechanism, { type: "generic", handled: true });
  assert.deepEqual(input.event.tags, { a: 1 });
  assert.equal(await client.flush(1000), true);
  assert.equal(sent.length, 1);
  assert.match(sent[0], /"sent_at":"20\d\d-/, "stamped when sent");
  // Non-Error throws carry a stack taken at the capture call.
  client.captureException("a string");
  assert.match(c.captures[1].input.exception.syntheticStack, /shim-unit\.test\.mjs/);
});

test("scope setters pass ScopeOp values and JSON text; ids 0/1/2 and forks from 3", () => {
  const { client, core } = setup();
  client.getIsolationScope().setTag("t", "v").setUser({ id: 1, buf: new Uint8Array(10) }).setContext("c", null);
  client.getGlobalScope().setExtras({ e: 1n });
  client.withScope((s) => s.setLevel("warning").clearBreadcrumbs());
  const ops = core().scopeOps;
  assert.deepEqual(ops[0], [1, ScopeOp.SetTag, "t", '"v"']);
  assert.deepEqual(ops[1], [1, ScopeOp.SetUser, undefined, '{"id":1,"buf":"[Uint8Array(10)]"}']);
  assert.deepEqual(ops[2], [1, ScopeOp.SetContext, "c", "null"]);
  assert.deepEqual(ops[3], [0, ScopeOp.SetExtras, undefined, '{"e":"1n"}']);
  assert.deepEqual(ops[4], [3, ScopeOp.SetLevel, undefined, '"warning"']);
  assert.deepEqual(ops[5], [3, ScopeOp.ClearBreadcrumbs, undefined, "null"]);
  assert.deepEqual(core().forks, [[2, 3]]);
  assert.equal(client.getCurrentScope().id, 2, "restored after withScope");
});

test("an object captured again answers with its first capture's id: nothing sent, nothing counted, said in debug", async () => {
  const lines = [];
  const orig = console.log;
  console.log = (...a) => lines.push(a.join(" "));
  try {
    const { client, core, sent, platform } = setup({ debug: true });
    const err = new TypeError("cart is undefined");
    // A global handler sees the error first, then an error boundary reports the same object.
    const id = client.captureException(err, { mechanism: { type: "auto.browser.global_handlers.onerror", handled: false } });
    const again = client.captureException(err, { mechanism: { type: "auto.function.react.error_boundary", handled: true }, contexts: { react: { componentStack: "at Cart" } } });
    assert.equal(again, id);
    assert.equal(client.lastEventId(), id);
    assert.ok(lines.some((l) => l.includes(`already captured as ${id}`)), lines.join("\n"));
    const c = core();
    assert.equal(c.captures.length, 1, "one event for one thrown object");
    assert.deepEqual(c.captures[0].input.mechanism, { type: "auto.browser.global_handlers.onerror", handled: false }, "the first capture's data wins");
    // Another event in between: lastEventId follows the last call's answer.
    const other = client.captureException(new Error("other"));
    assert.notEqual(other, id);
    assert.equal(client.captureException(err), id);
    assert.equal(client.lastEventId(), id);
    // captureEvent with the object as originalException is the same capture, both ways round.
    assert.equal(client.captureEvent({ message: "wrapped" }, { originalException: err }), id);
    const cause = { code: "E_CART" };
    const viaEvent = client.captureEvent({ message: "cart" }, { originalException: cause });
    assert.equal(client.captureException(cause), viaEvent);
    // Frozen objects, functions and proxies are objects too; primitives are never tracked.
    for (const v of [Object.freeze(new Error("frozen")), () => {}, new Proxy({}, { get() { throw new Error("trap"); } })]) {
      const first = client.captureException(v);
      assert.match(first, /^[0-9a-f]{32}$/);
      assert.equal(client.captureException(v), first);
    }
    const strings = [client.captureException("out of stock"), client.captureException("out of stock")];
    assert.notEqual(strings[0], strings[1], "a thrown string is captured each time");
    assert.equal(c.captures.length, 8);
    assert.equal(await client.flush(1000), true);
    assert.equal(sent.length, 8);
    assert.deepEqual(c.outcomes, [], "a repeated capture is no dropped event");
    // Another client has its own record.
    const second = new OxeyeClient({ dsn: DSN, transport: async () => ({ status: 200, headers: {} }), offline: false }, platform);
    const own = second.captureException(err);
    assert.match(own, /^[0-9a-f]{32}$/);
    assert.notEqual(own, id);
  } finally {
    console.log = orig;
  }
});

test("a repeated object is answered with its first id before the core is up and after; not after close", async () => {
  const fake = fakeCore({ enums });
  const { platform, release } = gatedPlatform(fake, startWhenLoaded, startEngine);
  const client = new OxeyeClient({ dsn: DSN, offline: false, transport: async () => ({ status: 200, headers: {} }) }, platform);
  const err = new Error("early");
  const id = client.captureException(err);
  assert.equal(client.captureException(err), id, "queued: the same id");
  const flushed = client.flush(3000);
  release();
  assert.equal(await flushed, true);
  assert.equal(client.captureException(err), id, "after the core loaded: the same id");
  const core = fake.state.instances[0];
  assert.deepEqual(core.captures.map((c) => c.input.eventId), [id]);
  await client.close(1000);
  const late = new Error("late");
  assert.equal(client.captureException(late), "");
  assert.equal(client.captureException(late), "", "nothing was captured after close, so no id to repeat");
  assert.equal(client.captureException(err), id, "an object captured before close keeps its id");
});

test("a core that fails to load disables the client with a reason and loses nothing silently", async () => {
  const lines = [];
  const orig = console.log;
  console.log = (...a) => lines.push(a.join(" "));
  try {
    const client = new OxeyeClient(
      { dsn: DSN, debug: true, transport: async () => ({ status: 200, headers: {} }) },
      { runtime: "browser", loadCore: async () => { throw new Error("404 oxeye_bg.wasm"); }, load(client, start) { startWhenLoaded(client, start, startEngine, this.loadCore(0)); } },
    );
    client.captureException(new Error("queued"));
    assert.equal(await client.flush(500), false, "the queued capture was lost");
    assert.match(client.disabledReason, /failed to load/);
    // A capture after the failure is made (a browser's next page may send it), not sent.
    assert.match(client.captureMessage("after"), /^[0-9a-f]{32}$/);
    assert.equal(await client.flush(100), false);
  } finally {
    console.log = orig;
  }
  assert.ok(lines.some((l) => /queued call\(s\) were not run/.test(l)), lines.join("\n"));
});

// ---- trap recovery ---------------------------------------------------------------------------

test("after a trap the instance is never called again and a fresh one takes over", async () => {
  const attempts = [];
  const { client, fake, sent } = setup({}, {});
  client.platform.loadCore = (attempt) => (attempts.push(attempt), Promise.resolve(fake.Core));
  fake.state.trapOn.add("capture");
  const warn = console.warn;
  console.warn = () => {};
  try {
    assert.match(client.captureException(new Error("traps")), /^[0-9a-f]{32}$/);
    assert.equal(fake.state.instances[0].dead, true);
    // Calls while the fresh instance loads are queued, then run on it.
    client.getIsolationScope().setTag("after", "trap");
    client.captureMessage("after the trap");
    assert.equal(await client.flush(1000), true);
    assert.deepEqual(attempts, [1]);
    assert.equal(fake.state.instances.length, 2);
    assert.equal(fake.state.calledAfterTrap, 0, "the dead instance was never called again");
    assert.equal(fake.state.instances[1].captures.length, 1);
    assert.equal(sent.length, 1);
  } finally {
    console.warn = warn;
  }
});

test("past the trap budget the SDK disables itself with a reason, and no public method throws", async () => {
  const { client, fake } = setup();
  client.platform.loadCore = () => fake.Core;
  const warned = [];
  const warn = console.warn;
  console.warn = (m) => warned.push(String(m));
  try {
    for (let i = 0; i <= MAX_REINSTANTIATE; i++) {
      fake.state.trapOn.add("scopeSet");
      client.getIsolationScope().setTag("k", "v");
      await new Promise((r) => setImmediate(r));
    }
    assert.match(client.disabledReason, /trapped/);
    assert.equal(fake.state.calledAfterTrap, 0);
    const n = fake.state.calls.length;
    client.captureException(new Error("x"));
    client.addBreadcrumb({ message: "m" });
    client.withScope((s) => s.setExtra("a", 1));
    client.getTraceData();
    assert.equal(await client.flush(100), true);
    assert.equal(fake.state.calls.length, n, "nothing calls into a core after the SDK disabled itself");
    assert.ok(warned.some((w) => /disabled/.test(w)));
  } finally {
    console.warn = warn;
  }
});

test("init and createClient never throw, whatever the options object does", () => {
  const fake = fakeCore({ enums });
  const api = createApi({ runtime: "node", loadCore: () => fake.Core, load: linkedLoad(startEngine) }, initDefault);
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const hostile = [
    { get dsn() { throw new Error("getter"); } },
    new Proxy({}, { get() { throw new Error("get"); }, ownKeys() { throw new Error("keys"); } }),
    revocable.proxy,
    { dsn: DSN, beforeSend: 5, ignoreErrors: "string", transport: "nope", initialScope: { get tags() { throw 1; } } },
    null,
    undefined,
    42,
  ];
  for (const o of hostile) {
    const c = api.init(o);
    assert.equal(typeof c.captureMessage("x"), "string");
    const d = api.createClient(o);
    assert.equal(typeof d.captureException(new Error("y")), "string");
  }
  // A runtime without `initDefault` (Workers) has no default client: `init` makes a client, and sets none.
  const bare = createApi({ runtime: "workerd", loadCore: () => fake.Core, load: linkedLoad(startEngine) });
  const c = bare.init({ dsn: DSN });
  assert.equal(typeof c.captureMessage("x"), "string");
  assert.equal(bare.getClient(), undefined);
});

// ---- host stages ---------------------------------------------------------------------------

test("RegExp filters run on the core's subjects; a drop is counted through dropPending", async () => {
  const { client, core, sent, fake: f } = setup({ ignoreErrors: [/secret/], denyUrls: ["plain-string"] });
  client.captureException(new Error("a secret thing"));
  client.captureException(new Error("public"));
  assert.equal(await client.flush(1000), true);
  const c = core();
  assert.equal(c.captures[0].handBack, true);
  assert.deepEqual(c.options.ignoreErrors, [], "RegExps stay in the shim");
  assert.deepEqual(c.options.denyUrls, ["plain-string"], "strings go to the core");
  assert.equal(sent.filter((s) => s.includes('"type":"event"')).length, 1);
  assert.ok(c.captures.length === 2);
  const drops = f.state.calls.filter(([name]) => name === "dropPending");
  assert.equal(drops.length, 1);
  assert.equal(drops[0][2], Reason.EventProcessor);
});

test("processor and beforeSend results are normalised before they cross; null drops with the right reason", async () => {
  const { client, fake: f, sent } = setup({
    beforeSend: (ev) => (ev.message === "drop me" ? null : ev),
  });
  client.addEventProcessor((ev) => {
    const menu = { label: "m" };
    menu.children = [menu];
    let chain = {};
    for (let i = 0; i < 5000; i++) chain = { next: chain };
    return { ...ev, extra: { menu, chain, buf: new Uint8Array(1 << 20) } };
  });
  client.captureMessage("keep me");
  client.captureMessage("drop me");
  assert.equal(await client.flush(2000), true);
  const events = sent.filter((s) => s.includes('"type":"event"')).map((s) => JSON.parse(s.split("\n")[2]));
  assert.equal(events.length, 1);
  assert.equal(events[0].extra.menu.children[0], "[Circular ~]");
  assert.equal(events[0].extra.buf, "[Uint8Array(1048576)]");
  const drops = f.state.calls.filter(([n]) => n === "dropPending");
  assert.deepEqual(drops.map((d) => d[2]), [Reason.BeforeSend]);
});

test("a beforeSend that never answers times out as a BeforeSend drop; pending work is bounded", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { client, fake: f } = setup({ beforeSend: () => new Promise(() => {}) });
  for (let i = 0; i < MAX_PENDING + 5; i++) client.captureMessage(`m${i}`);
  // Counted as early drops are: handed to the core before the next client report is taken.
  client.engine.delivery.sendClientReport();
  const overflow = f.state.calls.filter(([n, r]) => n === "recordOutcome" && r === Reason.QueueOverflow);
  assert.equal(overflow.reduce((sum, c) => sum + c[3], 0), 5, "captures beyond the bound are dropped before the core builds them");
  assert.equal(f.state.instances[0].captures.length, MAX_PENDING);
  // Let the processors' promises start, then run the clock past the timeout.
  for (let i = 0; i < 5; i++) await Promise.resolve();
  t.mock.timers.tick(CALLBACK_TIMEOUT_MS + 1);
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  const drops = f.state.calls.filter(([n]) => n === "dropPending");
  assert.equal(drops.length, MAX_PENDING);
  assert.ok(drops.every((d) => d[2] === Reason.BeforeSend));
  assert.equal(f.state.instances[0].pending.size, 0);
});

// ---- delivery ------------------------------------------------------------------------------

test("delivery stamps sent_at on every attempt and resends a failed report as it was", async () => {
  const fakeFam = fakeCore({ enums });
  const bodies = [];
  const events = [];
  let failing = true;
  const client = new OxeyeClient(
    {
      dsn: DSN,
      offline: false,
      sampleRate: 1,
      // At least 10 ms between attempts, so a second stamp differs from the first.
      transportOptions: { maxRetries: 1, retryBaseMs: 20, retryMaxMs: 40 },
      transport: async (r) => {
        const text = dec.decode(r.body);
        bodies.push(text);
        if (text.includes('"type":"event"')) events.push({ sentAt: Date.parse(JSON.parse(text.split("\n")[0]).sent_at), at: Date.now() });
        if (failing) throw new TypeError("fetch failed");
        return { status: 200, headers: {} };
      },
    },
    { runtime: "node", loadCore: () => fakeFam.Core, load: linkedLoad(startEngine) },
  );
  const before = Date.now();
  client.captureMessage("once");
  assert.equal(await client.flush(2000), true);
  assert.equal(events.length, 2, "two attempts");
  assert.ok(events[0].sentAt >= before && events[0].sentAt <= events[0].at, "stamped when first sent, not when made");
  assert.ok(events[1].sentAt >= events[0].at + 10 && events[1].sentAt <= events[1].at, "stamped again for the second attempt");
  const outcome = fakeFam.state.calls.find(([n]) => n === "recordOutcome");
  assert.deepEqual(outcome.slice(1), [Reason.NetworkError, Category.Error, 1]);
  // The report carrying that drop failed (twice); it is sent again as the same bytes.
  const reports = bodies.filter((b) => b.includes("client_report"));
  assert.ok(reports.length >= 1);
  failing = false;
  assert.equal(await client.flush(2000), true);
  const again = bodies.filter((b) => b.includes("client_report"));
  assert.ok(again.length > reports.length);
  assert.equal(again.at(-1).split("\n").slice(1).join("\n"), reports[0].split("\n").slice(1).join("\n"));
});

test("delivery: a session envelope whose request fails is sent once and counted; events are retried; a 5xx or a redirect is never retried", async () => {
  const enc = new TextEncoder();
  const body = () => enc.encode('{"sent_at":"2026-01-01T00:00:00.000Z"}\n{"type":"session"}\n{}');
  const run = async (category, fail) => {
    const attempts = [];
    const outcomes = [];
    const logs = [];
    const d = new Delivery(
      async (r) => {
        attempts.push(r);
        return fail();
      },
      (m) => logs.push(m),
      { sendClientReports: false, transportOptions: { maxRetries: 2, retryBaseMs: 5, retryMaxMs: 10, timeoutMs: 500 } },
      "node",
    );
    d.attach({
      recordOutcome: (...o) => outcomes.push(o),
      takeClientReport: () => undefined,
    });
    d.send("http://127.0.0.1:9/api/1/envelope/", body(), "an envelope", category, 1);
    assert.equal(await d.drain(Date.now() + 2000), true);
    d.close();
    return { attempts: attempts.length, outcomes, logs };
  };
  const refused = () => Promise.reject(new TypeError("fetch failed"));
  const session = await run(Category.Session, refused);
  assert.equal(session.attempts, 1, "a session update is not sent again after a failed request");
  assert.deepEqual(session.outcomes, [[Reason.NetworkError, Category.Session, 1]]);
  assert.match(session.logs.join("\n"), /not sent again: the server may have it/);
  const event = await run(Category.Error, refused);
  assert.equal(event.attempts, 3, "an event is retried (the server deduplicates it by id)");
  assert.deepEqual(event.outcomes, [[Reason.NetworkError, Category.Error, 1]]);
  const unavailable = await run(Category.Session, () => ({ status: 503, headers: {} }));
  assert.equal(unavailable.attempts, 1, "Sentry's protocol: a 5xx is discarded, not sent again");
  assert.deepEqual(unavailable.outcomes, [[Reason.SendError, Category.Session, 1]]);
  for (const answer of [{ status: 301, headers: { location: "https://o1.ingest.example/api/1/envelope/" } }, { status: 0, headers: { type: "opaqueredirect" } }]) {
    const moved = await run(Category.Error, () => answer);
    assert.equal(moved.attempts, 1, JSON.stringify(answer));
    assert.deepEqual(moved.outcomes, [[Reason.SendError, Category.Error, 1]]);
    assert.match(moved.logs.join("\n"), /a redirect, not followed/);
  }
});

test("log lines name reasons and categories as Sentry does, derived from the enums", () => {
  const { wireName } = enums;
  const expected = ["queue_overflow", "cache_overflow", "ratelimit_backoff", "network_error", "sample_rate", "before_send", "event_processor", "send_error", "buffer_overflow", "internal_sdk_error"];
  assert.deepEqual(expected.map((_, i) => wireName(Reason, i)), expected);
  assert.equal(wireName(Category, Category.LogItem), "log_item");
  assert.equal(wireName(Category, Category.Error), "error");
});

test("scope storage is pluggable: the platform's storage decides the active scopes", async () => {
  const runs = [];
  const storage = (initial) => {
    let active = initial;
    return {
      get: () => active,
      run(scopes, fn) {
        runs.push(scopes.current.id);
        const prev = active;
        active = scopes;
        try {
          return fn();
        } finally {
          active = prev;
        }
      },
    };
  };
  const { client, core } = setup({}, { scopeStorage: storage });
  client.withScope((s) => {
    assert.equal(client.getCurrentScope(), s);
    client.captureMessage("inside");
  });
  assert.deepEqual(runs, [3]);
  assert.deepEqual(core().captures[0].scopes, [3, 1, 0]);
  assert.equal(client.getCurrentScope().id, 2);
});

test("an HTTP status is an integer from 100 to 599, read the same way for a thrown value and for linking it to a request", async () => {
  const { httpStatus } = await import(`${dist}api/thrown.js`);
  const { requestTracker } = await import(`${dist}instrument/requests.js`);
  assert.equal(httpStatus({ status: 404 }), 404);
  assert.equal(httpStatus({ statusCode: 502 }), 502);
  assert.equal(httpStatus({ response: { status: 429 } }), 429);
  assert.equal(httpStatus({ status: 404.5, statusCode: 410 }), 410, "a non-integer status is no status");
  assert.equal(httpStatus({ status: 99, statusCode: 600, response: { status: "500" } }), undefined);
  assert.equal(httpStatus({ get status() { throw new Error("getter"); }, statusCode: 503 }), 503);
  assert.equal(httpStatus(404), undefined);

  const tracker = requestTracker({ getIsolationScope: () => ({ id: 1 }) });
  const notFound = tracker.record("GET", "https://api.example/a", 1);
  notFound.status = 404;
  tracker.touch(notFound);
  const ok = tracker.record("GET", "https://api.example/b", 1);
  ok.status = 200;
  tracker.touch(ok);
  assert.equal(tracker.find({ status: 404 }, 1), notFound);
  assert.equal(tracker.find({ response: { status: 404 } }, 1), notFound);
  assert.equal(tracker.find({ status: 404.5, statusCode: 404 }, 1), notFound, "a non-integer status is skipped");
  assert.equal(tracker.find({ status: 404.5 }, 1), ok, "no status: the latest request");
  assert.equal(tracker.find(new Error("plain"), 1), ok);
  // Another isolation scope (another request a server is serving) links by object only.
  assert.equal(tracker.find(new Error("plain"), 2), undefined, "no link by time across isolation scopes");
  assert.equal(tracker.find({ status: 404 }, 2), undefined);
  const res = {};
  tracker.link(res, notFound);
  assert.equal(tracker.find({ response: res }, 2), notFound, "an object the request produced is linked wherever it is captured");
});

test("a call before init is said once on the console where the platform gives the warning (servers), never in browsers", async () => {
  const { BEFORE_INIT_WARNING } = await import(`${dist}api/api.js`);
  const warned = [];
  const warn = console.warn;
  console.warn = (...a) => warned.push(a.join(" "));
  try {
    const platform = (runtime, extra) => ({ runtime, loadCore: () => fakeCore({ enums }).Core, load: linkedLoad(startEngine), ...extra });
    const server = createApi(platform("edge", { beforeInit: BEFORE_INIT_WARNING }));
    assert.equal(server.captureException(new Error("early")), "");
    server.setTag("a", "b");
    assert.deepEqual(warned, [BEFORE_INIT_WARNING]);
    assert.match(BEFORE_INIT_WARNING, /before init\(\)/);
    const page = createApi(platform("browser", {}));
    assert.equal(page.captureMessage("early"), "");
    assert.equal(warned.length, 1);
  } finally {
    console.warn = warn;
  }
});

test("the API's scope setters and runners keep their names and arities, before and after init, and name their stack frames", () => {
  const platform = { runtime: "browser", loadCore: () => fakeCore({ enums }).Core, load: linkedLoad(startEngine) };
  const arity = { setTag: 2, setTags: 1, setExtra: 2, setExtras: 1, setContext: 2, setUser: 1, withScope: 1, withIsolationScope: 1, continueTrace: 2, startNewTrace: 1 };
  const api = createApi(platform, initDefault);
  for (const [m, n] of Object.entries(arity)) {
    assert.equal(api[m].name, m);
    assert.equal(api[m].length, n, `${m}.length`);
  }
  // An error thrown in the app's callback names the runner that called it, as the written-out functions did.
  const frames = () => {
    try {
      api.withScope(() => {
        throw new Error("in callback");
      });
    } catch (e) {
      return e.stack.split("\n").slice(1, 8).join("\n");
    }
  };
  assert.match(frames(), /\bwithScope \(.*api\.js/);
  api.init({ dsn: DSN, transport: async () => ({ status: 200, headers: {} }), offline: false });
  try {
    assert.match(frames(), /\bwithScope \(.*api\.js/);
    assert.equal(api.withScope(() => 7), 7);
    assert.equal(api.continueTrace({}, () => 8), 8);
    assert.equal(api.setTag("a", "b"), undefined);
  } finally {
    api.getClient()?.close(0);
  }
});

test("event ids (the engine's and the loader's): UUID v4 as 32 hex digits, distinct across pool refills; random bytes keep their length", async () => {
  const loader = await import(`${dist}api/loader-util.js`);
  assert.equal(loader.eventId("0123456789abcdef0123456789abcdef"), "0123456789abcdef0123456789abcdef", "a hint's valid id is kept");
  assert.match(loader.eventId("not an id"), /^[0-9a-f]{32}$/);
  const seen = new Set();
  // 4,096-byte pools: 20,000 ids of each refill them several times, with byte draws in between.
  for (let i = 0; i < 40_000; i++) {
    const id = i % 2 ? eventId() : loader.eventId();
    assert.match(id, /^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    seen.add(id);
    if (i % 997 === 0) assert.equal(randomBytes(1 + (i % 41)).length, 1 + (i % 41));
  }
  assert.equal(seen.size, 40_000);
  assert.equal(randomBytes(5000).length, 5000, "more than the pool is drawn on its own");
  assert.equal(randomBytes(0).length, 0);
  // Version and variant bits are set in the id, not left to chance: every nibble there is fixed.
  const variants = new Set([...seen].map((id) => id[16]));
  assert.deepEqual([...variants].sort(), ["8", "9", "a", "b"]);
});

// Error storms in Node: what a capture costs once it cannot be sent anyway.
// - With the send buffer full or errors rate limited, a capture is counted and returns
//   before the thrown value is read, before any JSON is made of it and before the core's
//   event builder runs (a fake core records the calls; the thrown value counts its reads).
//   The core is told only what the session needs: that an error happened, and whether it
//   was handled.
// - A `beforeSend` that never answers: 1,000 captures against the real wasm core keep at
//   most MAX_PENDING events in the host stages; every capture ends up counted
//   (before_send once the timeout passes, queue_overflow beyond the bound).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fakeCore, linkedLoad } from "./helpers/fake-core.mjs";
import { parseEnvelope } from "./helpers/envelope.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { OxeyeClient } = await import(`${dist}api/client.js`);
const { startEngine } = await import(`${dist}api/engine.js`);
const { CALLBACK_TIMEOUT_MS, MAX_PENDING } = await import(`${dist}api/pipeline.js`);
const enums = await import(`${dist}core/enums.js`);
const { Reason, Category } = enums;

const DSN = "http://pubkey@127.0.0.1:9/42";

/** A client over a fake core whose transport never answers (the buffer fills and stays full). */
function stalled(options = {}, rateLimited = false) {
  const fake = fakeCore({ enums });
  const platform = { runtime: "node", loadCore: () => fake.Core, load: linkedLoad(startEngine) };
  // Requests never answer; each is given up after 50 ms (no retry), so nothing outlives the test.
  const transport = () => new Promise(() => {});
  const delivery = { maxRetries: 0, timeoutMs: 50, ...options.transportOptions };
  // (With a release, so that sessions are kept: an error dropped early still counts in one.)
  const client = new OxeyeClient({ dsn: DSN, release: "storm@1", transport, offline: false, sendClientReports: false, ...options, transportOptions: delivery }, platform);
  // As a server's `X-Sentry-Rate-Limits: 60:error` would.
  if (rateLimited) client["engine"].delivery.limits.update("60:error", Date.now());
  return { client, fake, calls: (name) => fake.state.calls.filter(([n]) => n === name) };
}

/**
 * What the core has counted as `reason` error events once the early drops are handed to it,
 * as they are before every client report is taken (the engine keeps them until then).
 */
function handedOver(client, calls, reason) {
  client["engine"]["deliveryCore"]().takeClientReport(Date.now());
  return calls("recordOutcome")
    .filter(([, r, c]) => r === reason && c === Category.Error)
    .reduce((n, [, , , q]) => n + q, 0);
}

/** `n` session counts of handled errors, each with nothing of the thrown value. */
function assertOnlyCountedInSession(made, n) {
  assert.equal(made.length, n);
  for (const [, input, current, isolation] of made) {
    assert.deepEqual(input, { exception: 0, mechanism: { handled: true } });
    assert.deepEqual([current, isolation], [2, 1], "the client's scopes");
  }
}

/** An Error whose reads are counted. */
function countedError(reads, i) {
  const e = new Error(`storm ${i}`);
  return new Proxy(e, {
    get(t, k) {
      reads.n++;
      return Reflect.get(t, k);
    },
  });
}

test("a full send buffer drops a capture before it is read or built, counted as queue_overflow", () => {
  const bufferSize = 8;
  const { client, fake, calls } = stalled({ transportOptions: { bufferSize } });
  const reads = { n: 0 };
  for (let i = 0; i < bufferSize; i++) client.captureException(new Error(`fills ${i}`));
  assert.equal(calls("capture").length, bufferSize);
  for (let i = 0; i < 1000; i++) client.captureException(countedError(reads, i));
  assert.equal(calls("capture").length, bufferSize, "no capture past the full buffer reaches the core's builder");
  assert.equal(calls("recordOutcome").length, 0, "a dropped capture is not counted by the core one by one");
  assertOnlyCountedInSession(calls("countInSession"), 1000);
  assert.equal(handedOver(client, calls, Reason.QueueOverflow), 1000);
  assert.equal(calls("recordOutcome").length, 1, "the drops reach the core as one count");
  // The client looks at the value once (instanceof Error, which reads no property); the
  // engine reads nothing of it.
  assert.equal(reads.n, 0, `${reads.n} reads of dropped thrown values`);
  assert.equal(fake.state.calledAfterTrap, 0);
});

test("without a release (no sessions), an error dropped early is not handed to the core at all", () => {
  const { client, fake } = stalled({ release: undefined }, true);
  const before = fake.state.calls.length;
  for (let i = 0; i < 100; i++) client.captureException(new Error(`storm ${i}`));
  assert.deepEqual([...new Set(fake.state.calls.slice(before).map(([name]) => name))], [], "no call into the core");
});

test("an active error rate limit drops a capture before it is built, asking the core nothing", () => {
  const { client, fake, calls } = stalled({}, true);
  const reads = { n: 0 };
  const before = fake.state.calls.length;
  for (let i = 0; i < 1000; i++) client.captureException(countedError(reads, i));
  // The limits are the client's own: the core hears only what the session needs.
  const made = fake.state.calls.slice(before);
  assert.deepEqual([...new Set(made.map(([name]) => name))], ["countInSession"]);
  assertOnlyCountedInSession(made, 1000);
  assert.equal(calls("capture").length, 0, "nothing reaches the core's builder");
  assert.equal(calls("recordOutcome").length, 0, "a dropped capture is not counted by the core one by one");
  assert.equal(handedOver(client, calls, Reason.RatelimitBackoff), 1000);
  assert.equal(reads.n, 0);
});

test("an object dropped early and reported again at once answers with the same id, counted once; dropped objects are not remembered beyond the last", () => {
  const { client, calls } = stalled({}, true);
  const first = new Error("storm a");
  const id = client.captureException(first);
  assert.equal(client.captureException(first), id, "the second report of the same object: its id");
  assert.equal(client.lastEventId(), id);
  const second = new Error("storm b");
  const other = client.captureException(second);
  assert.notEqual(other, id);
  assert.equal(client.captureException(second), other);
  assert.equal(handedOver(client, calls, Reason.RatelimitBackoff), 2, "each object counted once");
  // Only the last dropped object is kept: an earlier one reported again is dropped again.
  assert.notEqual(client.captureException(first), id);
  // Primitives are never recorded.
  const s1 = client.captureException("storm");
  assert.notEqual(client.captureException("storm"), s1);
});

test("captures go on as before while the buffer has room and no limit is active", () => {
  const { client, calls } = stalled({ transportOptions: { bufferSize: 64 } });
  for (let i = 0; i < 10; i++) client.captureMessage(`m${i}`);
  assert.equal(calls("capture").length, 10);
  assert.equal(calls("recordOutcome").length, 0);
});

test("real core: a beforeSend that never answers keeps pending work bounded over 1,000 captures; all are counted", { timeout: 60_000 }, async () => {
  const { createClient } = await import(`${dist}entrypoints/node.js`);
  const bodies = [];
  let calls = 0;
  const client = createClient({
    dsn: DSN,
    offline: false,
    transport: async (req) => (bodies.push(req.body.slice()), { status: 200, headers: {} }),
    beforeSend: () => {
      calls++;
      return new Promise(() => {});
    },
  });
  const engine = client["engine"];
  assert.ok(engine, "the Node client is ready at once");
  let maxPending = 0;
  for (let i = 0; i < 1000; i++) {
    client.captureException(new Error(`never answered ${i}`));
    maxPending = Math.max(maxPending, engine.pending);
  }
  assert.equal(maxPending, MAX_PENDING, "at most MAX_PENDING events wait in the host stages");
  const t0 = Date.now();
  assert.equal(await client.flush(CALLBACK_TIMEOUT_MS * 3), true);
  assert.equal(calls, MAX_PENDING, "beforeSend ran only for the events that were admitted");
  assert.ok(Date.now() - t0 >= CALLBACK_TIMEOUT_MS - 50, "the flush waited for the timeout");
  assert.equal(engine.pending, 0);
  const discarded = {};
  let events = 0;
  for (const body of bodies) {
    for (const item of parseEnvelope(body).items) {
      if (item.headers.type === "event") events++;
      if (item.headers.type === "client_report") {
        for (const d of item.json.discarded_events) discarded[`${d.reason}/${d.category}`] = (discarded[`${d.reason}/${d.category}`] ?? 0) + d.quantity;
      }
    }
  }
  assert.equal(events, 0);
  assert.deepEqual(discarded, { "before_send/error": MAX_PENDING, "queue_overflow/error": 1000 - MAX_PENDING });
  await client.close(0);
});

/** A client over a fake core whose transport answers at once, on `runtime`. */
function answering(runtime, transportOptions) {
  const fake = fakeCore({ enums });
  const platform = { runtime, loadCore: () => fake.Core, load: linkedLoad(startEngine) };
  const transport = async () => ({ status: 200, headers: {} });
  const client = new OxeyeClient({ dsn: DSN, transport, offline: false, sendClientReports: false, transportOptions }, platform);
  return { client, calls: (name) => fake.state.calls.filter(([n]) => n === name) };
}

test("a storm in a page: the first half-minute's budget of events is built, the rest are dropped early as queue_overflow", async () => {
  for (const [runtime, options, built] of [
    ["browser", undefined, 30],
    ["browser", { maxEventsPerMinute: 20 }, 10],
    ["browser", { maxEventsPerMinute: Infinity }, 500],
    ["node", undefined, 500],
    ["node", { maxEventsPerMinute: 8 }, 4],
  ]) {
    const { client, calls } = answering(runtime, options);
    await client.ready;
    // The buffer never fills: every send is answered before the next batch.
    for (let batch = 0; batch < 10; batch++) {
      for (let i = 0; i < 50; i++) client.captureException(new Error(`storm ${batch}.${i}`));
      await client.flush(1000);
    }
    const overflow = handedOver(client, calls, Reason.QueueOverflow);
    assert.equal(calls("capture").length, built, `${runtime} ${JSON.stringify(options)}: events built`);
    assert.equal(overflow, 500 - built, `${runtime} ${JSON.stringify(options)}: counted as queue_overflow`);
    await client.close(100);
  }
});

test("the events-per-minute budget refills at its rate, up to its burst", async () => {
  const { eventBudget } = await import(`${dist}delivery/event-budget.js`);
  const b = eventBudget(60); // a burst of 30, then one per second
  let sent = 0;
  while (b(1_000)) {
    b(1_000, true);
    sent++;
  }
  assert.equal(sent, 30);
  assert.equal(b(1_500), false, "half a second refills half an event");
  assert.equal(b(2_000), true, "a second refills one");
  b(2_000, true);
  assert.equal(b(2_000), false);
  assert.equal(b(3_600_000), true);
  for (let i = 0; i < 30; i++) b(3_600_000, true);
  assert.equal(b(3_600_000), false, "an hour of quiet refills no more than the burst");
});

// The client's queue before its core is up, against a fake core (no wasm build, no browser,
// no servers): calls made then are replayed in order with their ids and times; a queue
// full of breadcrumbs makes room for captures and scope changes, and keeps the
// breadcrumbs a queued capture will show; a closed client notes no more console calls.
// `npm run test:unit` runs it on the shim compiled to target/unit-dist (OXEYE_UNIT_DIST);
// `npm test` runs it on dist/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fakeCore, gatedPlatform } from "./helpers/fake-core.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { OxeyeClient } = await import(`${dist}api/client.js`);
const { startEngine } = await import(`${dist}api/engine.js`);
const { startWhenLoaded } = await import(`${dist}api/async-load.js`);
const enums = await import(`${dist}core/enums.js`);
const { ScopeOp } = enums;

const DSN = "http://pubkey@127.0.0.1:9/42";
const dec = new TextDecoder();

test("calls made before the engine is up are queued in order and keep their ids and times", async () => {
  const fake = fakeCore({ enums });
  const sent = [];
  const { platform, release } = gatedPlatform(fake, startWhenLoaded, startEngine);
  const client = new OxeyeClient({ dsn: DSN, offline: false, transport: async (r) => (sent.push(dec.decode(r.body)), { status: 200, headers: {} }) }, platform);
  assert.equal(client.dsnError, undefined);
  client.getIsolationScope().setTag("early", "yes");
  const ids = [client.captureException(new Error("early 1")), client.captureMessage("early 2")];
  const captured = Date.now();
  const flushed = client.flush(3000);
  // (The core comes 50 ms later: a replay's time would be after that.)
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(fake.state.instances.length, 0, "nothing ran before the core loaded");
  release();
  assert.equal(await flushed, true);
  const core = fake.state.instances[0];
  assert.deepEqual(core.captures.map((c) => c.input.eventId), ids);
  assert.ok(core.captures[0].input.timestamp <= captured, "capture time, not replay time");
  assert.equal(core.scopeOps[0][2], "early", "the scope change ran before the captures, in order");
  assert.equal(sent.length, 2);
});

test("a queue full of breadcrumbs before the core is up makes room for captures and scope changes, dropping its oldest breadcrumbs", async () => {
  const fake = fakeCore({ enums });
  const { platform, release } = gatedPlatform(fake, startWhenLoaded, startEngine);
  const client = new OxeyeClient({ dsn: DSN, offline: false, transport: async () => ({ status: 200, headers: {} }) }, platform);
  for (let i = 0; i < 1500; i++) client.addBreadcrumb({ message: `step ${i}` });
  client.getIsolationScope().setUser({ id: "u-42" });
  const id = client.captureException(new Error("startup crash"));
  const flushed = client.flush(3000);
  release();
  assert.equal(await flushed, true, "nothing lost");
  const core = fake.state.instances[0];
  assert.deepEqual(core.captures.map((c) => c.input.eventId), [id]);
  assert.ok(core.scopeOps.some((op) => op[1] === ScopeOp.SetUser), "the scope change was kept");
  const messages = core.crumbs.map((c) => c[1].message);
  assert.equal(messages.at(-1), "step 1499", "the newest breadcrumbs are kept");
  assert.ok(!messages.includes("step 0"), "the oldest made room");
});

test("a queue full of breadcrumbs keeps those a queued capture will show: the ones no event can show make room", async () => {
  const fake = fakeCore({ enums });
  const { platform, release } = gatedPlatform(fake, startWhenLoaded, startEngine);
  const client = new OxeyeClient({ dsn: DSN, offline: false, transport: async () => ({ status: 200, headers: {} }) }, platform);
  for (let i = 0; i < 10; i++) client.addBreadcrumb({ message: `before ${i}` });
  client.captureException(new Error("crash"));
  for (let i = 0; i < 1200; i++) client.addBreadcrumb({ message: `after ${i}` });
  client.captureMessage("later");
  const flushed = client.flush(3000);
  release();
  assert.equal(await flushed, true);
  const messages = fake.state.instances[0].crumbs.map((c) => c[1].message);
  for (let i = 0; i < 10; i++) assert.ok(messages.includes(`before ${i}`), `the crash's breadcrumb ${i}`);
  assert.ok(messages.includes("after 1199"), "the newest are kept");
  assert.ok(!messages.includes("after 0"), "the oldest that no event shows made room");
  assert.ok(messages.filter((m) => m.startsWith("after")).length >= 100, "at least as many as an event shows");
});

test("a closed client notes no more console calls before its core is up (nothing is held for a core that never comes)", async () => {
  const { noteEarlyCrumbs } = await import(`${dist}instrument/early-crumbs.js`);
  const fake = fakeCore({ enums });
  const { platform } = gatedPlatform(fake, startWhenLoaded, startEngine);
  const client = new OxeyeClient({ dsn: DSN, offline: false, transport: async () => ({ status: 200, headers: {} }) }, platform);
  const log = console.log;
  console.log = () => {};
  try {
    noteEarlyCrumbs(client);
    console.log("noted");
    assert.equal(client.queue.length, 1);
    await client.close(0);
    const held = client.queue.length;
    for (let i = 0; i < 50; i++) console.log("after close");
    assert.equal(client.queue.length, held, "nothing more is queued");
  } finally {
    console.log = log;
  }
});

// The boundary normaliser (js/api/normalize.ts): whatever the app hands over (cycles,
// shared references, binary data, exotic values, deep or huge structures) becomes JSON the
// core can read, summarised or cut, never thrown and never enumerated byte by byte.
// `npm run test:unit` runs it on the shim compiled to target/unit-dist (OXEYE_UNIT_DIST);
// `npm test` runs it on dist/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { normalize, normalizeEvent, toJson } = await import(`${dist}api/normalize.js`);

test("normalize: true cycles are [Circular ~], shared references are written once", () => {
  const menu = { name: "menu" };
  menu.children = [{ parent: menu }];
  assert.deepEqual(JSON.parse(toJson({ menu }, { depth: 5 })), { menu: { name: "menu", children: [{ parent: "[Circular ~]" }] } });
  // 100 users who all reference each other: linear, not exponential.
  const users = Array.from({ length: 100 }, (_, i) => ({ id: i }));
  for (const u of users) u.friends = users;
  const t0 = performance.now();
  const text = toJson(users, { depth: 10 });
  assert.ok(text.length < 100_000, `${text.length} chars`);
  assert.ok(text.includes("[Shared ~]") || text.includes("[Circular ~]"));
  const shared = { x: 1 };
  const out = normalize({ a: shared, b: shared });
  assert.deepEqual({ ...out.a }, { x: 1 });
  assert.equal(out.b, "[Shared ~]");
  assert.ok(performance.now() - t0 < 5000);
});

test("normalize: binary data is summarised, never enumerated", () => {
  const big = new Uint8Array(8 << 20);
  const buf = typeof Buffer === "function" ? Buffer.alloc(4 << 20) : big;
  const out = normalize({ big, buf, ab: new ArrayBuffer(1024), dv: new DataView(new ArrayBuffer(16)), f: new Float64Array(3) });
  assert.equal(out.big, "[Uint8Array(8388608)]");
  assert.equal(out.buf, "[Buffer(4194304)]");
  assert.equal(out.ab, "[ArrayBuffer(1024)]");
  assert.equal(out.dv, "[DataView(16)]");
  assert.equal(out.f, "[Float64Array(3)]");
});

test("normalize: exotic values are summarised and nothing throws", () => {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const protoTrap = new Proxy({}, { getPrototypeOf() { throw new Error("trap"); }, ownKeys() { throw new Error("keys"); } });
  const getter = { get boom() { throw new Error("getter"); }, ok: 1 };
  const out = normalize({
    n: 10n,
    s: Symbol("x"),
    f: function named() {},
    d: new Date(0),
    bad: new Date(NaN),
    e: new TypeError("nope"),
    m: new Map([[1, 2]]),
    set: new Set([1, 2, 3]),
    inf: Infinity,
    u: undefined,
    revoked: revocable.proxy,
    protoTrap,
    getter,
    j: { toJSON: () => ({ via: "toJSON" }) },
    jt: { toJSON() { throw new Error("no"); } },
    re: /a+/g,
  });
  assert.equal(out.n, "10n");
  assert.equal(out.s, "Symbol(x)");
  assert.equal(out.f, "[Function: named]");
  assert.equal(out.d, "1970-01-01T00:00:00.000Z");
  assert.equal(out.bad, "[Invalid Date]");
  assert.equal(out.e.name, "TypeError");
  assert.equal(out.e.message, "nope");
  assert.equal(out.m, "[Map(1)]");
  assert.equal(out.set, "[Set(3)]");
  assert.equal(out.inf, "Infinity");
  assert.ok(!("u" in out));
  assert.equal(typeof out.revoked, "string");
  assert.equal(typeof out.protoTrap, "string");
  assert.deepEqual({ ...out.getter }, { ok: 1 });
  assert.deepEqual({ ...out.j }, { via: "toJSON" });
  assert.equal(out.jt, "[unreadable]");
  assert.equal(out.re, "/a+/g");
  // A revoked proxy at the top is a value, not an exception.
  assert.equal(typeof toJson(revocable.proxy), "string");
});

test("normalize: depth, breadth, size and key limits", () => {
  let deep = { v: 0 };
  for (let i = 1; i < 5000; i++) deep = { v: i, next: deep };
  const out = normalize(deep, { depth: 3 });
  assert.equal(out.next.next.next, "[Object]");
  const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
  const w = normalize(wide);
  assert.equal(Object.keys(w).length, 1001);
  assert.equal(w["..."], "[MaxProperties ~]");
  assert.equal(normalize(Array.from({ length: 3000 }, () => 1)).length, 1001);
  const huge = Array.from({ length: 900 }, () => "x".repeat(10_000));
  const sized = toJson(huge, { maxBytes: 100_000 });
  assert.ok(sized.length < 150_000, `${sized.length}`);
  assert.ok(sized.includes("[MaxSize ~]"));
  const longKey = normalize({ ["k".repeat(1e6)]: 1 });
  assert.ok(Object.keys(longKey)[0].length <= 257);
  assert.equal(normalize("s".repeat(1e6)).length, 16 * 1024 + 1);
});

test("normalizeEvent: the event's structure is kept deeper than user data", () => {
  const ev = normalizeEvent({ exception: { values: [{ stacktrace: { frames: [{ vars: { a: 1 } }] } }] }, extra: { a: { b: { c: { d: { e: 1 } } } } } });
  assert.deepEqual({ ...ev.exception.values[0].stacktrace.frames[0].vars }, { a: 1 });
  // normalizeDepth (3) counted from `extra`, as Sentry's SDKs count: extra → a → b, and b's contents are summarised.
  assert.equal(ev.extra.a.b.c, "[Object]");
});

// Express 5 and 4, Fastify 5 and Hono 4 (on @hono/node-server), installed from npm, on
// 127.0.0.1: each answers a route's error itself (a 500 from its own error handler), so it
// never reaches the process's handlers. With `setupExpressErrorHandler(app)` /
// `setupFastifyErrorHandler(app)` / `setupHonoErrorHandler(app)` (docs/node.md) each such error is reported once, from the request's own isolation
// scope (request data, request_id, the user an earlier middleware set), as unhandled, and
// the request counts as crashed; errors with a 4xx status are not sent; the framework's
// answer is unchanged. The functions type-check with the frameworks' own types.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureFixtureDeps } from "../scripts/lib/fixture-deps.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { aggregateTotals, sessionAggregates } from "./helpers/sessions.mjs";
import { assertValidForSentry } from "./helpers/real.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let cap, oxeye, client, require, deps;

before(async () => {
  deps = await ensureFixtureDeps("node-frameworks", join(root, "tests", "fixtures", "node-frameworks"));
  require = createRequire(join(deps, "node_modules", "index.js"));
  cap = await startCaptureServer();
  oxeye = await import("../dist/entrypoints/node.js");
  client = oxeye.init({ dsn: cap.dsn, release: "frameworks@1.0.0", environment: "test" });
});
after(async () => {
  await client?.close(2000);
  await cap?.close();
});

/** Requests `base + path` with a request id and a user header; returns status and body. */
async function get(base, path) {
  const res = await fetch(`${base}${path}`, { headers: { "x-request-id": `rid${path.replaceAll("/", "-")}`, "x-user": `user${path.replaceAll("/", "-")}` } });
  return [res.status, await res.text()];
}

const eventsFrom = (type) => cap.events().filter((e) => e.exception?.values?.at(-1)?.mechanism?.type === type);

function assertFromItsRequest(ev, base, path) {
  assert.equal(ev.request.url, `${base}${path}`);
  assert.equal(ev.request.method, "GET");
  assert.equal(ev.tags.request_id, `rid${path.replaceAll("/", "-")}`);
  assert.equal(ev.user.id, `user${path.replaceAll("/", "-")}`, "the user an earlier middleware set, of this request only");
  assert.equal(ev.exception.values.at(-1).mechanism.handled, false);
}

/** Express `pkg` (its major `major`): the case of both Express 5 and Express 4 (which NestJS 10 runs on). */
async function expressCase(pkg, major) {
  const express = require(pkg);
  assert.equal(require(`${pkg}/package.json`).version.split(".")[0], String(major));
  const app = express();
  app.use((req, _res, next) => {
    oxeye.setUser({ id: req.headers["x-user"] });
    next();
  });
  app.get("/sync", () => {
    throw new TypeError("express sync");
  });
  app.get("/async", async (_req, _res, next) => {
    await new Promise((r) => setTimeout(r, 5));
    // (Express 4 does not catch a handler's rejection: its apps pass it on.)
    if (major === 4) return next(new RangeError("express async"));
    throw new RangeError("express async");
  });
  app.get("/next", (_req, _res, next) => next(new SyntaxError("express next")));
  app.get("/missing", (_req, _res, next) => next(Object.assign(new Error("no such order"), { status: 404 })));
  app.get("/ok", (_req, res) => res.send("ok"));
  // A route in a router mounted at /api, and one whose code names its events itself.
  const api = express.Router();
  api.get("/users/:email/orders/:id", () => {
    throw new TypeError("express routed");
  });
  app.use("/api", api);
  app.get("/named/:id", () => {
    oxeye.getIsolationScope().setTransactionName("named by the app");
    throw new TypeError("express named");
  });
  oxeye.setupExpressErrorHandler(app);
  app.use((err, _req, res, _next) => res.status(err.status ?? 500).json({ error: err.message }));
  // A route added after the setup (NestJS adds its routes at \`app.init()\`), in a router
  // mounted later still, whose code captures itself: named too.
  const late = express.Router();
  late.get("/items/:id", (_req, res) => {
    oxeye.captureException(new TypeError("express late"));
    res.send("late");
  });
  app.use("/late", late);
  const server = await new Promise((ok) => {
    const s = app.listen(0, "127.0.0.1", () => ok(s));
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const answers = await Promise.all(["/sync", "/async", "/next", "/missing", "/ok", "/api/users/ann@example.com/orders/618384", "/named/7", "/late/items/42"].map((p) => get(base, p)));
    assert.deepEqual(answers, [
      [500, '{"error":"express sync"}'],
      [500, '{"error":"express async"}'],
      [500, '{"error":"express next"}'],
      [404, '{"error":"no such order"}'],
      [200, "ok"],
      [500, '{"error":"express routed"}'],
      [500, '{"error":"express named"}'],
      [200, "late"],
    ], "the app's own error handler still answers");
    assert.equal(await client.flush(10_000), true);
    // (This server's: both Express cases report to the one capture server.)
    const events = eventsFrom("auto.middleware.express").filter((e) => e.request.url.startsWith(base));
    assert.deepEqual(events.map((e) => e.exception.values.at(-1).value).sort(), ["express async", "express named", "express next", "express routed", "express sync"]);
    for (const [path, value] of [["/sync", "express sync"], ["/async", "express async"], ["/next", "express next"]]) {
      assertFromItsRequest(events.find((e) => e.exception.values.at(-1).value === value), base, path);
    }
    // Named by the route matched, as Sentry's Node SDK names them, not by the path (which
    // holds an email and an id); the app's own name wins.
    const name = (value) => events.find((e) => e.exception.values.at(-1).value === value).transaction;
    assert.deepEqual(["express sync", "express routed", "express named"].map(name), ["GET /sync", "GET /api/users/:email/orders/:id", "named by the app"]);
    const lateEvent = cap.events().find((e) => e.exception?.values?.at(-1)?.value === "express late" && e.request.url.startsWith(base));
    assert.equal(lateEvent?.transaction, "GET /late/items/:id", "a route added after the setup is named by its route");
    await assertValidForSentry(events);
  } finally {
    server.close();
  }
}

test("Express 5: route errors (thrown, rejected, next(err)) are reported once from their request, the 404 is not, and Express answers as before", () => expressCase("express", 5));

test("Express 4: the same, and its routes are named by the route matched (Express 4 binds each route's dispatch as it is defined)", () => expressCase("express4", 4));

test("Fastify 5: route errors (thrown, rejected) are reported once from their request, a validation error (400) is not, and Fastify answers as before", async () => {
  const Fastify = require("fastify");
  const app = Fastify();
  oxeye.setupFastifyErrorHandler(app);
  app.addHook("onRequest", async (req) => {
    oxeye.setUser({ id: req.headers["x-user"] });
  });
  app.get("/sync", () => {
    throw new TypeError("fastify sync");
  });
  app.get("/async", async () => {
    await new Promise((r) => setTimeout(r, 5));
    throw new RangeError("fastify async");
  });
  app.get("/users/:email/orders/:id", () => {
    throw new TypeError("fastify routed");
  });
  app.get("/valid", { schema: { querystring: { type: "object", required: ["n"], properties: { n: { type: "integer" } } } } }, () => "ok");
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${app.server.address().port}`;
  try {
    const answers = await Promise.all(["/sync", "/async", "/valid", "/users/ann@example.com/orders/618384"].map((p) => get(base, p)));
    assert.deepEqual(answers.map(([status]) => status), [500, 500, 400, 500], "Fastify's own answers");
    assert.match(answers[0][1], /fastify sync/);
    assert.equal(await client.flush(10_000), true);
    const events = eventsFrom("auto.function.fastify");
    assert.deepEqual(events.map((e) => e.exception.values.at(-1).value).sort(), ["fastify async", "fastify routed", "fastify sync"]);
    assert.equal(events.find((e) => e.exception.values.at(-1).value === "fastify routed").transaction, "GET /users/:email/orders/:id", "named by the route matched");
    for (const [path, value] of [["/sync", "fastify sync"], ["/async", "fastify async"]]) {
      assertFromItsRequest(events.find((e) => e.exception.values.at(-1).value === value), base, path);
    }
    await assertValidForSentry(events);
  } finally {
    await app.close();
  }
});

test("Hono 4 on Node: route errors are reported once from their request, named by the route; an HTTPException keeps its answer and a 4xx one is not sent; an onError set later still answers", async () => {
  const { Hono } = require("hono");
  const { HTTPException } = require("hono/http-exception");
  const { serve } = require("@hono/node-server");
  const app = new Hono();
  oxeye.setupHonoErrorHandler(app);
  app.use(async (c, next) => {
    oxeye.setUser({ id: c.req.header("x-user") });
    await next();
  });
  app.get("/sync", () => {
    throw new TypeError("hono sync");
  });
  app.get("/async", async () => {
    await new Promise((r) => setTimeout(r, 5));
    throw new RangeError("hono async");
  });
  app.get("/users/:email/orders/:id", () => {
    throw new TypeError("hono routed");
  });
  app.get("/denied", () => {
    throw new HTTPException(401, { message: "sign in first" });
  });
  app.get("/ok", (c) => c.text("ok"));
  // A catch-all after the routes (a single-page app's fallback) does not name their errors.
  app.get("*", (c) => c.text("fallback"));
  // The app's own handler, set after oxeye's hook: it still answers.
  app.onError((err, c) => (err instanceof HTTPException ? err.getResponse() : c.json({ error: err.message }, 500)));
  const server = await new Promise((ok) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => ok(s));
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const answers = await Promise.all(["/sync", "/async", "/denied", "/ok", "/users/ann@example.com/orders/618384"].map((p) => get(base, p)));
    assert.deepEqual(answers, [
      [500, '{"error":"hono sync"}'],
      [500, '{"error":"hono async"}'],
      [401, "sign in first"],
      [200, "ok"],
      [500, '{"error":"hono routed"}'],
    ], "the app's own error handler still answers");
    assert.equal(await client.flush(10_000), true);
    const events = eventsFrom("auto.middleware.hono");
    assert.deepEqual(events.map((e) => e.exception.values.at(-1).value).sort(), ["hono async", "hono routed", "hono sync"]);
    assert.equal(events.find((e) => e.exception.values.at(-1).value === "hono routed").transaction, "GET /users/:email/orders/:id", "named by the route matched");
    for (const [path, value] of [["/sync", "hono sync"], ["/async", "hono async"]]) {
      assertFromItsRequest(events.find((e) => e.exception.values.at(-1).value === value), base, path);
    }
    await assertValidForSentry(events);
  } finally {
    await new Promise((ok) => server.close(ok));
  }
});

test("the requests whose errors the frameworks answered count as crashed in the release's sessions", async () => {
  assert.equal(await client.flush(10_000), true);
  const totals = aggregateTotals(sessionAggregates(cap.envelopes));
  // Five in each Express, three in Fastify and three in Hono.
  assert.equal(totals.crashed, 16, JSON.stringify(totals));
});

test("types: an Express app, a Fastify instance and a Hono app are accepted as their own types declare them", () => {
  const dir = mkdtempSync(join(tmpdir(), "oxeye-frameworks-types-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    for (const name of ["express", "fastify", "hono", "@types"]) symlinkSync(join(deps, "node_modules", name), join(dir, "node_modules", name), "dir");
    symlinkSync(root, join(dir, "node_modules", "oxeye"), "dir");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    writeFileSync(
      join(dir, "server.ts"),
      `import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import * as oxeye from "oxeye";
oxeye.init({ dsn: process.env["SENTRY_DSN"], globalHandlers: true });
const app = express();
app.get("/", () => { throw new Error("x"); });
oxeye.setupExpressErrorHandler(app);
const fastify = Fastify();
oxeye.setupFastifyErrorHandler(fastify);
const hono = new Hono();
oxeye.setupHonoErrorHandler(hono);
`,
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", types: ["node"], skipLibCheck: true, esModuleInterop: true }, files: ["server.ts"] }),
    );
    const r = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, `tsc:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

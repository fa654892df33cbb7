// Node: requests made with the `http` and `https` clients (as axios and got make them)
// are instrumented as `fetch` is. Requests to `tracePropagationTargets` carry the served
// request's trace and request id, an app's own `sentry-trace` is kept, other hosts get
// nothing, named imports follow the patch, and each request leaves an `http` breadcrumb
// on the event of the request that made it. Real servers on 127.0.0.1 throughout.
import { test } from "node:test";
import assert from "node:assert/strict";
import http, { createServer, get as namedGet } from "node:http";
import * as oxeye from "../dist/entrypoints/node.js";
import { startCaptureServer } from "./helpers/capture-server.mjs";

/** GETs `url` with `call` (a `get`-like function), answering the body. */
const fetchWith = (call, ...args) =>
  new Promise((ok, fail) => {
    const req = call(...args, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => ok(body));
    });
    req.on("error", fail);
    if (call === http.request) req.end();
  });

test("Node: http.request and http.get carry the served request's trace and request id to propagation targets, and leave breadcrumbs", async () => {
  const cap = await startCaptureServer();
  const seen = [];
  const echo = createServer((req, res) => {
    seen.push({ path: req.url, headers: req.headers });
    res.writeHead(req.url === "/missing" ? 404 : 200, { "x-request-id": req.headers["x-request-id"] ?? "" }).end("ok");
  });
  await new Promise((ok) => echo.listen(0, "127.0.0.1", ok));
  const port = echo.address().port;
  const client = oxeye.init({ dsn: cap.dsn, tracePropagationTargets: [`127.0.0.1:${port}`], breadcrumbs: { fetch: true } });
  const trace = "4bf92f3577b34da6a3ce929d0e0e4736";
  const app = createServer(async (req, res) => {
    await fetchWith(http.get, `http://127.0.0.1:${port}/get-url`);
    await fetchWith(namedGet, { host: "127.0.0.1", port, path: "/named-options" });
    await fetchWith(http.request, new URL(`http://127.0.0.1:${port}/own-trace`), { headers: { "sentry-trace": `${"a".repeat(32)}-${"b".repeat(16)}-1` } });
    await fetchWith(http.get, `http://localhost:${port}/other-host`);
    await fetchWith(http.get, `http://127.0.0.1:${port}/missing`);
    res.end(oxeye.captureException(new Error("after the calls")));
  });
  await new Promise((ok) => app.listen(0, "127.0.0.1", ok));
  try {
    const id = await fetch(`http://127.0.0.1:${app.address().port}/checkout`, {
      headers: { "sentry-trace": `${trace}-00f067aa0ba902b7-1`, "x-request-id": "req-checkout" },
    }).then((r) => r.text());
    assert.equal(await client.flush(5000), true);
    const by = (path) => seen.find((s) => s.path === path).headers;
    for (const path of ["/get-url", "/named-options", "/missing"]) {
      assert.match(by(path)["sentry-trace"] ?? "", new RegExp(`^${trace}-[0-9a-f]{16}(-[01])?$`), `${path} continues the served request's trace`);
      assert.match(by(path).baggage ?? "", new RegExp(`sentry-trace_id=${trace}`));
      assert.equal(by(path)["x-request-id"], "req-checkout", `${path} carries the served request's id`);
    }
    assert.equal(by("/own-trace")["sentry-trace"], `${"a".repeat(32)}-${"b".repeat(16)}-1`, "the app's own sentry-trace is kept");
    assert.equal(by("/other-host")["sentry-trace"], undefined, "not a propagation target");
    assert.equal(by("/other-host")["x-request-id"], undefined);
    const ev = cap.events().find((e) => e.event_id === id);
    const crumbs = ev.breadcrumbs.values.filter((b) => b.category === "http");
    assert.deepEqual(
      crumbs.map((b) => [b.data.method, new URL(b.data.url).pathname, b.data.status_code, b.level]),
      [
        ["GET", "/get-url", 200, undefined],
        ["GET", "/named-options", 200, undefined],
        ["GET", "/own-trace", 200, undefined],
        ["GET", "/other-host", 200, undefined],
        ["GET", "/missing", 404, "warning"],
      ],
    );
    assert.equal(crumbs[0].data.request_id, "req-checkout");
  } finally {
    for (const s of [app, echo]) {
      s.closeAllConnections?.();
      await new Promise((ok) => s.close(ok));
    }
    await client.close(1000);
    await cap.close();
  }
});

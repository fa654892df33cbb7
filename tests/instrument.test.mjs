// Trace propagation and request instrumentation in Node, over the real wasm core and
// real HTTP servers on 127.0.0.1: fetch gets sentry-trace / baggage / request id headers
// only for propagation targets, the app's own headers are kept, failed requests and
// errors thrown while a response is handled are linked to the request (tag request_id,
// its trace), breadcrumbs, console breadcrumbs, meta tags, and uninstalling.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import * as oxeye from "../dist/entrypoints/node.js";
import { readTraceMetaTags } from "../dist/api/meta-tags.js";
import { renderTraceMetaTags } from "../dist/api/trace-tags.js";
import { selectorOf } from "../dist/instrument/dom.js";
import { sanitizeUrl } from "../dist/instrument/url.js";
import { shouldPropagate } from "../dist/instrument/request-rules.js";
import { captureTransport } from "./helpers/capture-transport.mjs";
import { withClock } from "./helpers/clock.mjs";
import { assertValidForSentry } from "./helpers/real.mjs";

const DSN = "http://pubkey@127.0.0.1:9/42";
const nativeFetch = globalThis.fetch;
const everyEvent = [];
let api; // the "backend": records request headers, echoes X-Request-ID
let other; // another origin: records what it received

function recorder(handle) {
  const received = [];
  const server = createServer((req, res) => {
    received.push({ url: req.url, headers: req.headers });
    handle(req, res);
  });
  return {
    received,
    start: () => new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(`http://127.0.0.1:${server.address().port}`))),
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

before(async () => {
  api = recorder((req, res) => {
    const rid = req.headers["x-request-id"];
    const headers = { "content-type": "application/json", ...(rid ? { "x-request-id": rid } : {}) };
    if (req.url.startsWith("/fail")) return void res.writeHead(500, headers).end('{"error":"boom"}');
    if (req.url.startsWith("/bad-json")) return void res.writeHead(200, headers).end("{not json");
    if (req.url.startsWith("/own-id")) return void res.writeHead(502, { "x-backend-id": "backend-7" }).end("{}");
    res.writeHead(200, headers).end('{"ok":true}');
  });
  api.url = await api.start();
  other = recorder((req, res) => res.writeHead(200).end("ok"));
  other.url = await other.start();
});
after(async () => {
  await oxeye.close(0);
  await api.close();
  await other.close();
  await assertValidForSentry(everyEvent);
});

function setup(options = {}) {
  const cap = captureTransport({ seen: everyEvent });
  const client = oxeye.init({
    dsn: DSN,
    transport: cap.transport,
    tracePropagationTargets: [api.url],
    breadcrumbs: { fetch: true },
    ...options,
  });
  const envelopes = () => cap.envelopes().filter((e) => e.items.some((i) => i.headers.type === "event"));
  return { client, envelopes, events: cap.events };
}

const last = (arr) => arr[arr.length - 1];
const traceIdOf = (sentryTrace) => sentryTrace.split("-")[0];

test("fetch to a propagation target carries sentry-trace, baggage and a fresh request id; other origins get nothing", async () => {
  const s = setup();
  const page = oxeye.getTraceData();
  assert.match(page["sentry-trace"], /^[0-9a-f]{32}-[0-9a-f]{16}$/, "deferred sampling: no flag");
  assert.equal(page.traceparent, undefined, "traceparent only with propagateTraceparent");
  await (await fetch(`${api.url}/ok`)).text();
  await (await fetch(`${api.url}/ok`)).text();
  await (await fetch(`${other.url}/third-party`)).text();
  const [a, b] = api.received.slice(-2).map((r) => r.headers);
  assert.equal(a["sentry-trace"], page["sentry-trace"], "one page, one trace and span");
  assert.equal(a.baggage, page.baggage);
  assert.match(a.baggage, new RegExp(`^sentry-trace_id=${traceIdOf(page["sentry-trace"])},sentry-public_key=pubkey,sentry-environment=production,sentry-sample_rand=0\\.\\d{6}$`));
  assert.match(a["x-request-id"], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a["x-request-id"], b["x-request-id"], "a fresh id per request");
  const third = last(other.received).headers;
  for (const h of ["sentry-trace", "baggage", "traceparent", "x-request-id"]) assert.equal(third[h], undefined, `${h} leaked to another origin`);
  await s.client.close(1000);
});

test("beside OpenTelemetry (its API with a propagator registered), propagateTraceparent writes no traceparent: two would make the header invalid", async () => {
  const { propagation } = await import("@opentelemetry/api");
  const { W3CTraceContextPropagator } = await import("@opentelemetry/core");
  const s = setup({ propagateTraceparent: true });
  await (await fetch(`${api.url}/ok`)).text();
  assert.match(last(api.received).headers.traceparent ?? "", /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/, "without OpenTelemetry: sent");
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  try {
    await (await fetch(`${api.url}/ok`)).text();
    const h = last(api.received).headers;
    assert.equal(h.traceparent, undefined, "OpenTelemetry's instrumentation writes its own");
    assert.match(h["sentry-trace"], /^[0-9a-f]{32}-[0-9a-f]{16}$/, "oxeye's own headers still go");
  } finally {
    propagation.disable();
  }
  await s.client.close(1000);
});

test("the app's own headers are kept: baggage merged, its request id and sentry-trace untouched; Request objects work", async () => {
  const s = setup({ propagateTraceparent: true });
  await (await fetch(`${api.url}/ok`, { headers: { baggage: "vendor=a;p=1, sentry-release=stale", "X-Request-ID": "app-chosen-id" } })).text();
  let h = last(api.received).headers;
  assert.match(h.baggage, /^vendor=a;p=1,sentry-trace_id=[0-9a-f]{32},sentry-public_key=pubkey,/);
  assert.ok(!h.baggage.includes("stale"));
  assert.equal(h["x-request-id"], "app-chosen-id");
  assert.match(h.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  await (await fetch(`${api.url}/ok`, { headers: { "sentry-trace": "0123456789abcdef0123456789abcdef-0123456789abcdef-1" } })).text();
  h = last(api.received).headers;
  assert.equal(h["sentry-trace"], "0123456789abcdef0123456789abcdef-0123456789abcdef-1", "an app's own trace is not replaced");
  assert.equal(h.baggage, undefined);
  // A W3C traceparent of the app's own (OpenTelemetry): its trace only, and an error
  // about the request joins it.
  const otel = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const res = await fetch(`${api.url}/ok`, { headers: { traceparent: otel, baggage: "vendor=b" } });
  h = last(api.received).headers;
  assert.deepEqual([h.traceparent, h["sentry-trace"], h.baggage], [otel, undefined, "vendor=b"]);
  assert.ok(h["x-request-id"]);
  const id = oxeye.captureException(Object.assign(new Error("bad answer"), { response: res }));
  await s.client.flush(2000);
  const ev = s.events().find((e) => e.event_id === id);
  assert.deepEqual([ev.contexts.trace.trace_id, ev.contexts.trace.span_id], ["0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"]);
  await (await fetch(new Request(`${api.url}/ok`, { headers: { "x-app": "1" } }))).text();
  h = last(api.received).headers;
  assert.equal(h["x-app"], "1");
  assert.ok(h["sentry-trace"] && h["x-request-id"]);
  // Bad input from the app fails exactly as it would without oxeye.
  await assert.rejects(fetch(`${api.url}/ok`, { headers: { "bad header": "x" } }), TypeError);
  await s.client.close(1000);
});

test("a fetch breadcrumb's query is scrubbed by the core's rules: secrets filtered, ordinary keys that merely contain `key` or `sid` kept; scrub: false sends it as it was", async () => {
  const query = "keyword=shoes&side=left&monkey=1&hotkeys=on&token=t1&code=C42&api_key=k1&q=boots";
  for (const [options, expected] of [
    [{}, "keyword=shoes&side=left&monkey=1&hotkeys=on&token=[Filtered]&code=[Filtered]&api_key=[Filtered]&q=boots"],
    [{ scrub: false }, query],
  ]) {
    const s = setup(options);
    await (await fetch(`${api.url}/ok?${query}`)).text();
    oxeye.captureMessage("after a search");
    await oxeye.flush(2000);
    const crumb = s.events().at(-1).breadcrumbs.values.findLast((c) => c.category === "fetch");
    assert.equal(crumb.data.url, `${api.url}/ok?${expected}`, JSON.stringify(options));
    await s.client.close(1000);
  }
});

test("a failed request: the error the app reports carries the backend's request id and the request's trace", async () => {
  const s = setup();
  const res = await fetch(`${api.url}/fail?token=secret-value&page=2`);
  const sent = last(api.received).headers;
  await res.json();
  try {
    if (!res.ok) throw Object.assign(new Error(`checkout failed: HTTP ${res.status}`), { status: res.status });
  } catch (e) {
    oxeye.captureException(e);
  }
  await oxeye.flush(2000);
  const [env] = s.envelopes();
  const ev = env.items[0].json;
  assert.equal(ev.tags.request_id, sent["x-request-id"]);
  assert.equal(ev.contexts.trace.trace_id, traceIdOf(sent["sentry-trace"]));
  assert.equal(ev.contexts.trace.span_id, sent["sentry-trace"].split("-")[1], "the browser's span is the backend's parent");
  assert.equal(env.headers.trace.trace_id, ev.contexts.trace.trace_id, "envelope trace header matches");
  const crumb = ev.breadcrumbs.values.find((c) => c.category === "fetch");
  assert.equal(crumb.type, "http");
  assert.equal(crumb.level, "error");
  assert.equal(crumb.data.method, "GET");
  assert.equal(crumb.data.status_code, 500);
  assert.equal(crumb.data.request_id, sent["x-request-id"]);
  assert.equal(crumb.data.url, `${api.url}/fail?token=[Filtered]&page=2`);
  assert.equal(typeof crumb.data.duration_ms, "number");
  await s.client.close(1000);
});

test("network errors and body-read errors are linked exactly; unrelated later errors are not", async () => {
  const s = setup({ tracePropagationTargets: ["127.0.0.1"] });
  const closed = recorder(() => {});
  const deadUrl = await closed.start();
  await closed.close();
  // The handling windows are measured with Date.now(): the test moves it instead of waiting.
  await withClock(async (clock) => {
    let networkError;
    try {
      await fetch(`${deadUrl}/gone`, { headers: { "X-Request-ID": "rid-network" } });
    } catch (e) {
      networkError = e;
    }
    assert.ok(networkError instanceof TypeError);
    clock.advance(2100); // past any handling window: only the exact link can find it
    oxeye.captureException(networkError);
    let parseError;
    try {
      await (await fetch(`${api.url}/bad-json`)).json();
    } catch (e) {
      parseError = e;
    }
    const badJsonId = last(api.received).headers["x-request-id"];
    clock.advance(300); // past a successful response's window: the body-read error is linked exactly
    oxeye.captureException(parseError);
    await (await fetch(`${api.url}/ok`)).text();
    clock.advance(300); // a successful response stops counting shortly after it was handled
    oxeye.captureException(new Error("unrelated"));
    await oxeye.flush(2000);
    const [net, parse, unrelated] = s.events();
    assert.equal(net.tags.request_id, "rid-network");
    const crumb = net.breadcrumbs.values.find((c) => c.data?.url?.endsWith("/gone"));
    assert.equal(crumb.level, "error");
    assert.equal(crumb.data.status_code, undefined);
    assert.equal(parse.exception.values[0].type, "SyntaxError");
    assert.equal(parse.tags.request_id, badJsonId);
    assert.equal(unrelated.tags?.request_id, undefined);
  });
  await s.client.close(1000);
});

test("the handling window: an error captured while a response is handled is linked, until shortly after (150 ms, 2 s when it failed)", async () => {
  const s = setup();
  await withClock(async (clock) => {
    await (await fetch(`${api.url}/ok`)).text();
    const ok = last(api.received).headers["x-request-id"];
    clock.advance(50); // the real time the test takes comes on top: stay well inside
    oxeye.captureMessage("within 150 ms of a success");
    clock.advance(150);
    oxeye.captureMessage("past 150 ms of a success");
    await (await fetch(`${api.url}/fail`)).text();
    const failed = last(api.received).headers["x-request-id"];
    clock.advance(1500);
    oxeye.captureMessage("within 2 s of a failure");
    clock.advance(600);
    oxeye.captureMessage("past 2 s of a failure");
    await oxeye.flush(2000);
    assert.deepEqual(
      s.events().map((e) => [e.message?.formatted ?? e.logentry?.formatted, e.tags?.request_id]),
      [
        ["within 150 ms of a success", ok],
        ["past 150 ms of a success", undefined],
        ["within 2 s of a failure", failed],
        ["past 2 s of a failure", undefined],
      ],
    );
  });
  await s.client.close(1000);
});

test("requestIdHeader and requestIdResponseHeaders are configurable; captureMessage while handling is linked", async () => {
  const s = setup({ requestIdHeader: "X-Correlation-ID", requestIdResponseHeaders: ["X-Backend-Id", "X-Request-ID"] });
  const res = await fetch(`${api.url}/own-id`);
  const sent = last(api.received).headers;
  assert.match(sent["x-correlation-id"], /^[0-9a-f-]{36}$/);
  assert.equal(sent["x-request-id"], undefined);
  oxeye.captureMessage(`upstream said ${res.status}`, "warning");
  await oxeye.flush(2000);
  const [ev] = s.events();
  assert.equal(ev.tags.request_id, "backend-7", "the backend's own id wins");
  assert.equal(ev.breadcrumbs.values.find((c) => c.category === "fetch").data.request_id, "backend-7");
  await s.client.close(1000);
  const none = setup({ requestIdHeader: false });
  await (await fetch(`${api.url}/ok`)).text();
  assert.equal(last(api.received).headers["x-request-id"], undefined);
  assert.ok(last(api.received).headers["sentry-trace"]);
  await none.client.close(1000);
});

test("continueTrace and startNewTrace decide the trace of requests and of linked errors", async () => {
  const s = setup();
  const pageTrace = traceIdOf(oxeye.getTraceData()["sentry-trace"]);
  const incoming = {
    sentryTrace: "771a43a4192642f0b136d5159a501700-b6576219fd7dcf45-1",
    baggage: "other-vendor=x,sentry-trace_id=771a43a4192642f0b136d5159a501700,sentry-public_key=upstream,sentry-sampled=true,sentry-sample_rand=0.1",
  };
  await oxeye.continueTrace(incoming, async () => {
    const data = oxeye.getTraceData();
    assert.match(data["sentry-trace"], /^771a43a4192642f0b136d5159a501700-[0-9a-f]{16}-1$/);
    await (await fetch(`${api.url}/ok`)).text();
  });
  let h = last(api.received).headers;
  assert.equal(traceIdOf(h["sentry-trace"]), "771a43a4192642f0b136d5159a501700");
  assert.equal(h.baggage, "sentry-trace_id=771a43a4192642f0b136d5159a501700,sentry-public_key=upstream,sentry-sampled=true,sentry-sample_rand=0.1", "incoming DSC, frozen; other vendors' entries not forwarded");
  let failed;
  await oxeye.startNewTrace(async () => {
    failed = await fetch(`${api.url}/fail`);
  });
  h = last(api.received).headers;
  const newTrace = traceIdOf(h["sentry-trace"]);
  assert.notEqual(newTrace, pageTrace);
  assert.equal(traceIdOf(oxeye.getTraceData()["sentry-trace"]), pageTrace, "outside the callback: the page's trace");
  oxeye.captureException(Object.assign(new Error("failed in a new trace"), { response: failed }));
  oxeye.continueTrace({ sentryTrace: "garbage", baggage: "%%%" }, () => oxeye.captureMessage("malformed headers start a new trace"));
  await oxeye.flush(2000);
  const [env, malformed] = s.envelopes();
  assert.equal(env.items[0].json.contexts.trace.trace_id, newTrace, "the error joins the trace of its request");
  assert.equal(env.headers.trace.trace_id, newTrace);
  assert.equal(env.items[0].json.tags.request_id, h["x-request-id"]);
  const m = malformed.items[0].json.contexts.trace;
  assert.match(m.trace_id, /^[0-9a-f]{32}$/);
  assert.notEqual(m.trace_id, pageTrace);
  assert.equal(m.parent_span_id, undefined);
  await s.client.close(1000);
});

test("the SDK's own envelopes are not instrumented; close() uninstalls; init twice patches once", async () => {
  const capture = createServer((req, res) => {
    capture.seen.push(req.headers);
    req.resume();
    req.on("end", () => res.writeHead(200).end("{}"));
  });
  capture.seen = [];
  await new Promise((ok) => capture.listen(0, "127.0.0.1", ok));
  const dsn = `http://k@127.0.0.1:${capture.address().port}/1`;
  // Targets match the SDK's endpoint too; the default transport is made after fetch was patched.
  const first = oxeye.init({ dsn, tracePropagationTargets: ["127.0.0.1"], breadcrumbs: { fetch: true } });
  const patched = globalThis.fetch;
  assert.notEqual(patched, nativeFetch);
  const second = oxeye.init({ dsn, tracePropagationTargets: ["127.0.0.1"], breadcrumbs: { fetch: true } });
  assert.equal(globalThis.fetch, patched, "patched once");
  oxeye.captureMessage("one");
  oxeye.captureMessage("two");
  assert.equal(await oxeye.flush(3000), true);
  assert.equal(await first.close(0), true);
  assert.equal(capture.seen.length >= 2, true);
  for (const h of capture.seen) {
    assert.equal(h["sentry-trace"], undefined);
    assert.equal(h["x-request-id"], undefined);
  }
  await second.close(1000);
  assert.equal(globalThis.fetch, nativeFetch, "close() restores the original fetch");
  await new Promise((ok) => { capture.closeAllConnections?.(); capture.close(() => ok()); });
});

test("a disabled SDK patches nothing", async () => {
  const client = oxeye.init({ dsn: DSN, enabled: false, tracePropagationTargets: ["127.0.0.1"], breadcrumbs: true });
  assert.equal(globalThis.fetch, nativeFetch);
  assert.deepEqual(oxeye.getTraceData(), {});
  assert.equal(oxeye.getTraceMetaTags(), "");
  await client.close(0);
});

test("console breadcrumbs by level in Node (opt-in), never for oxeye's own lines nor @sentry/browser's logger's", async () => {
  const originalWarn = console.warn;
  const s = setup({ breadcrumbs: { console: ["warn", "error", "assert"] }, debug: true });
  assert.notEqual(console.warn, originalWarn);
  console.warn("disk almost full", { free: 3 });
  console.warn("Sentry Logger [warn]: Integration installed: Dedupe");
  console.log("not recorded");
  console.assert(1 + 1 === 2, "passes");
  console.assert(false, "cart total", -1);
  oxeye.captureMessage("with console crumbs");
  await oxeye.flush(2000);
  const crumbs = s.events()[0].breadcrumbs.values.filter((c) => c.category === "console");
  assert.deepEqual(
    crumbs.map((c) => [c.level, c.message]),
    [
      ["warning", 'disk almost full {"free":3}'],
      ["error", "Assertion failed: cart total -1"],
    ],
  );
  assert.deepEqual(crumbs[0].data, { arguments: ["disk almost full", { free: 3 }], logger: "console" });
  await s.client.close(1000);
  assert.equal(console.warn, originalWarn, "console restored");
});

test("meta tags: rendered HTML-escaped, read back, and continued", async () => {
  assert.equal(renderTraceMetaTags(undefined), "");
  assert.equal(renderTraceMetaTags({}), "");
  assert.equal(
    renderTraceMetaTags({ "sentry-trace": 'a"><script>x</script>', baggage: "k=v&w='1'" }),
    '<meta name="sentry-trace" content="a&quot;&gt;&lt;script&gt;x&lt;/script&gt;"/>\n<meta name="baggage" content="k=v&amp;w=&#39;1&#39;"/>',
  );
  assert.equal(renderTraceMetaTags({ traceparent: `&<>"'` }), '<meta name="traceparent" content="&amp;&lt;&gt;&quot;&#39;"/>');
  const s = setup({ release: "shop@1.0 (it's \"beta\")" });
  const html = oxeye.getTraceMetaTags();
  const data = oxeye.getTraceData();
  assert.match(html, /^<meta name="sentry-trace" content="[0-9a-f]{32}-[0-9a-f]{16}"\/>\n<meta name="baggage" content="[^"<>]+"\/>$/);
  assert.ok(html.includes("sentry-release=shop%401.0%20(it&#39;s%20%22beta%22)"), html);
  // What a browser does with them: a document holding the tags continues the server's trace.
  const unescape = (v) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const doc = {
    querySelector(sel) {
      const name = /name="([^"]+)"/.exec(sel)[1];
      const m = new RegExp(`<meta name="${name}" content="([^"]*)"/>`).exec(html);
      return m ? { getAttribute: () => unescape(m[1]) } : null;
    },
  };
  const incoming = readTraceMetaTags(doc);
  assert.equal(incoming.sentryTrace, data["sentry-trace"]);
  assert.equal(incoming.baggage, data.baggage);
  assert.equal(readTraceMetaTags({ querySelector: () => null }), undefined);
  assert.equal(readTraceMetaTags({ querySelector: () => { throw new Error("x"); } }), undefined);
  oxeye.continueTrace(incoming, () => oxeye.captureMessage("in the server's trace"));
  await oxeye.flush(2000);
  const ev = s.events()[0];
  assert.equal(ev.contexts.trace.trace_id, traceIdOf(data["sentry-trace"]));
  assert.equal(ev.contexts.trace.parent_span_id, data["sentry-trace"].split("-")[1]);
  await s.client.close(1000);
  assert.equal(oxeye.getTraceMetaTags(oxeye.createClient({})), "", "a disabled client renders nothing");
});

test("helpers: URL sanitising, propagation targets, click selectors", () => {
  assert.equal(sanitizeUrl("https://user:pw@api.example.com/a?api_key=1&q=shoes#frag"), "https://api.example.com/a?api_key=1&q=shoes", "credentials and fragment go; the query is the core's to scrub");
  assert.equal(sanitizeUrl("/cart?x=1", "https://shop.example/checkout"), "https://shop.example/cart?x=1");
  assert.equal(sanitizeUrl("not a url"), "not a url");
  const page = "https://shop.example/checkout";
  assert.equal(shouldPropagate("/api/cart", undefined, page), true, "same origin by default");
  assert.equal(shouldPropagate("https://cdn.example/x.js", undefined, page), false);
  assert.equal(shouldPropagate("https://api.example/v1", undefined, undefined), false, "no page: nothing by default");
  assert.equal(shouldPropagate("https://api.example/v1", ["api.example"], page), true);
  assert.equal(shouldPropagate("https://api.example/v1", [/^https:\/\/api\.example\//g], page), true);
  assert.equal(shouldPropagate("https://api.example/v1", [/^https:\/\/api\.example\//g], page), true, "global RegExps are reset");
  assert.equal(shouldPropagate("/api/cart", ["/api/"], page), true, "paths match for same-origin requests");
  assert.equal(shouldPropagate("/api/cart", [], page), false, "[] turns propagation off");
  assert.equal(shouldPropagate("http://[bad", undefined, page), false);
  const el = (tag, attrs = {}, parent = null, classes = []) => ({
    nodeType: 1, tagName: tag.toUpperCase(), id: attrs.id ?? "", classList: classes, parentElement: parent,
    getAttribute: (n) => attrs[n] ?? null, textContent: "SECRET TEXT",
  });
  const body = el("body");
  const main = el("main", {}, body);
  const div = el("div", {}, main, ["buttons", "grid", "wide", "extra"]);
  const button = el("button", { id: "pay", type: "submit", "data-testid": 'pay "now"' }, div);
  const selector = selectorOf(button);
  assert.equal(selector, 'div.buttons.grid.wide > button#pay[type="submit"][data-testid="pay \\"now\\""]', "about 80 characters at most");
  assert.ok(!selector.includes("SECRET"), "no text content");
  assert.equal(selectorOf(el("a", { name: "home" }, main)), 'body > main > a[name="home"]');
  const nav = el("nav", {}, main);
  assert.equal(selectorOf(el("a", { "aria-label": "Orders" }, nav)), 'body > main > nav > a[aria-label="Orders"]', "links without an id told apart");
  assert.equal(selectorOf(el("img", { alt: "Logo", title: "Home" }, nav)), 'body > main > nav > img[title="Home"][alt="Logo"]');
  let deep = el("span");
  for (let i = 0; i < 8; i++) deep = el("i", {}, deep);
  assert.equal(selectorOf(deep), "i > i > i > i > i", "five levels at most");
  assert.equal(selectorOf(null), "");
  assert.equal(selectorOf({ nodeType: 3 }), "");
});

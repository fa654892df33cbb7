// Delivery in Node against the fault-injecting server (scripts/lib/fault-server.mjs):
// rate limits in every header form, 413/4xx/5xx, retries with backoff, resets, timeouts,
// a refused port, request slots, flush semantics, sent_at on resend, client reports
// (batching, interval, failure), session envelopes sent once after a failed request,
// keepalive accounting, offline storage and Spotlight.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import * as oxeye from "../dist/entrypoints/node.js";
import { makeFetchTransport } from "../dist/delivery/transport.js";
import { createMemoryStore, offlineStoreFor } from "../dist/delivery/offline.js";
import { Category } from "../dist/core/enums.js";
import { faults, startFaultServer } from "../scripts/lib/fault-server.mjs";
import { discardedOf, startFaulted } from "./helpers/fault-client.mjs";
import { withClock } from "./helpers/clock.mjs";
import { waitFor } from "./helpers/wait.mjs";
import { captureConsole } from "./helpers/console-lines.mjs";

let server;
before(async () => {
  server = await startFaultServer();
});
after(async () => {
  await oxeye.close(0);
  await server?.close();
});


const FAST = { retryBaseMs: 20, retryMaxMs: 80, timeoutMs: 400 };
const start = (respond, options) => startFaulted(server, respond, options);
const discardedSince = (from) => discardedOf(server, from);

test("rate limits: a 200's X-Sentry-Rate-Limits is honoured per category", async () => {
  const from = { ...server.stats().discarded };
  let first = true;
  const s = start((r) => {
    if (r.kind !== "event") return faults.ok();
    const f = first ? faults.ok({ headers: { "x-sentry-rate-limits": "86400:transaction;span:organization, 30:error:key" } }) : faults.ok();
    first = false;
    return f;
  });
  oxeye.captureMessage("first: sets the limits");
  assert.equal(await oxeye.flush(2000), true);
  oxeye.captureMessage("limited 1");
  oxeye.captureException(new Error("limited 2"));
  assert.equal(await oxeye.flush(2000), true);
  assert.equal(s.requests().filter((r) => r.kind === "event").length, 1, "errors are not sent while limited");
  assert.deepEqual(discardedSince(from), { "ratelimit_backoff/error": 2 });

  // Bugsink's own header limits only transactions and spans: errors keep flowing.
  first = true;
  server.respond = (r) => (r.kind === "event" ? faults.ok({ headers: { "x-sentry-rate-limits": "86400:transaction;span:organization" } }) : faults.ok());
  oxeye.init({ dsn: server.dsn, transportOptions: FAST });
  for (let i = 0; i < 3; i++) {
    oxeye.captureMessage(`flows ${i}`);
    assert.equal(await oxeye.flush(2000), true);
  }
  assert.equal(server.requests.filter((r) => r.kind === "event" && r.headerLine.includes("event_id")).slice(-3).length, 3);
  assert.deepEqual(discardedSince(from), { "ratelimit_backoff/error": 2 }, "nothing more was dropped");
});

test("429 in every header form: what it names is limited, the 429 itself is never reported, limited events are", async () => {
  await withClock(async ({ advance, now }) => {
    const forms = [
      ["X-Sentry-Rate-Limits", () => faults.rateLimited("5:error:key"), 5],
      ["X-Sentry-Rate-Limits, all categories", () => faults.rateLimited("5::organization"), 5],
      ["Retry-After seconds", () => faults.retryAfter(7), 7],
      ["Retry-After HTTP date", () => faults.retryAfter(new Date(now() + 9_000).toUTCString()), 9],
      ["neither header: 60 s", () => faults.bare429(), 60],
    ];
    for (const [name, fault, seconds] of forms) {
      const from = { ...server.stats().discarded };
      let answered = false;
      const s = start((r) => {
        if (r.kind !== "event" || answered) return faults.ok();
        answered = true;
        return fault();
      });
      oxeye.captureMessage(`${name}: answered 429`);
      assert.equal(await oxeye.flush(2000), true, name);
      oxeye.captureMessage(`${name}: dropped while limited`);
      assert.equal(await oxeye.flush(2000), true, name);
      const events = s.requests().filter((r) => r.kind === "event");
      assert.equal(events.length, 1, `${name}: one request, no retry of the 429, nothing sent while limited`);
      advance((seconds - 2) * 1000);
      oxeye.captureMessage(`${name}: still limited`);
      await oxeye.flush(2000);
      advance(3000);
      assert.equal(await oxeye.flush(2000), true, name);
      assert.deepEqual(discardedSince(from), { "ratelimit_backoff/error": 2 }, `${name}: only the limited events are reported`);
      oxeye.captureMessage(`${name}: sent again`);
      assert.equal(await oxeye.flush(2000), true);
      assert.equal(s.requests().filter((r) => r.kind === "event").length, 2, `${name}: sent once the limit is over`);
    }
  });
});

test("413 is a send_error, logged and never retried; other 4xx and 5xx are never retried either, as Sentry's protocol asks", async () => {
  for (const status of [413, 400, 403, 500, 502, 503]) {
    const from = { ...server.stats().discarded };
    const logs = captureConsole();
    let s;
    try {
      s = start((r) => (r.kind === "event" ? faults.status(status) : faults.ok()), { debug: true });
      oxeye.captureMessage(`answered ${status}`);
      assert.equal(await oxeye.flush(2000), true);
    } finally {
      logs.restore();
    }
    assert.equal(s.requests().filter((r) => r.kind === "event").length, 1, `${status}: one attempt`);
    assert.deepEqual(discardedSince(from), { "send_error/error": 1 }, String(status));
    if (status === 413) assert.ok(logs.lines.some((l) => /413.*larger than the server accepts.*send_error/.test(l)), logs.lines.join("\n"));
  }
});

test("a redirect is not followed (a POST redirected arrives as an empty GET): a send_error, and the console names the new address once", async () => {
  const from = { ...server.stats().discarded };
  const first = server.stats().requests;
  const logs = captureConsole(["warn"]);
  let s;
  try {
    for (const status of [301, 308]) {
      s = start((r) => (r.kind === "event" ? faults.status(status, { headers: { location: `${server.url}/moved/api/1/envelope/` } }) : faults.ok()));
      oxeye.captureMessage(`answered ${status}`);
      assert.equal(await oxeye.flush(2000), true);
      assert.equal(s.requests().filter((r) => r.kind === "event").length, 1, `${status}: one attempt, not sent again`);
    }
  } finally {
    logs.restore();
  }
  // (Followed, the redirect would have been an empty GET: a request with no envelope.)
  assert.equal(server.requests.filter((r) => r.n >= first && r.kind === "invalid").length, 0, "nothing went to the new address");
  assert.deepEqual(discardedSince(from), { "send_error/error": 2 });
  const warned = logs.lines.filter((l) => /redirect to http:\/\/127\.0\.0\.1:\d+\/moved\/api\/1\/envelope\/.*use that address in the DSN/.test(l));
  assert.equal(warned.length, 1, logs.lines.join("\n"));
});

test("a network failure is retried with exponential, jittered backoff, then delivered", async () => {
  let n = 0;
  const s = start((r) => (r.kind !== "event" ? faults.ok() : n++ < 3 ? faults.reset() : faults.ok()), {
    transportOptions: { retryBaseMs: 40, retryMaxMs: 1000 },
  });
  oxeye.captureMessage("recovers");
  assert.equal(await oxeye.flush(3000), true);
  const at = s.requests().filter((r) => r.kind === "event").map((r) => r.at);
  assert.equal(at.length, 4, "three retries");
  const gaps = at.slice(1).map((t, i) => t - at[i]);
  // Nominal delays 40, 80, 160 ms, each jittered to between half and all of it. Timers
  // never fire early (a late one only lengthens a gap), so only the lower bounds are
  // checked: the last wait is at least twice the longest the first could have been.
  [20, 40, 80].forEach((least, i) => assert.ok(gaps[i] >= least - 2, `gap ${i + 1} of ${gaps} is at least ${least} ms`));
  assert.equal(server.stats().finalStatus.get(s.requests().at(-1).eventId), 200);
});

test("resets, timeouts and a refused port are retried, then counted as network_error", async () => {
  const from = { ...server.stats().discarded };
  let s = start((r) => (r.kind === "event" ? faults.reset() : faults.ok()), { transportOptions: { maxRetries: 2 } });
  oxeye.captureMessage("reset");
  assert.equal(await oxeye.flush(3000), true);
  assert.equal(s.requests().filter((r) => r.kind === "event").length, 3);

  s = start((r) => (r.kind === "event" ? faults.slow(2000) : faults.ok()), { transportOptions: { maxRetries: 1, timeoutMs: 150 } });
  oxeye.captureMessage("slow");
  assert.equal(await oxeye.flush(3000), true);
  const slow = s.requests().filter((r) => r.kind === "event");
  assert.equal(slow.length, 2);
  // Abandoned at the timeout, not at the server's pace: had the client waited, the server
  // would have answered 200.
  await waitFor(() => slow.every((r) => r.outcome === "abandoned"), { what: "the server to see the client give up on both attempts" });

  await server.setOffline(true);
  try {
    oxeye.init({ dsn: server.dsn, transportOptions: { ...FAST, maxRetries: 2 } });
    oxeye.captureMessage("refused");
    assert.equal(await oxeye.flush(3000), true);
  } finally {
    await server.setOffline(false);
  }
  // The report failed during the outage; its counts were kept and leave with the next one.
  assert.equal(await oxeye.flush(2000), true);
  assert.deepEqual(discardedSince(from), { "network_error/error": 3 });
});

test("a session aggregate whose request is reset is sent once and counted as network_error; a 503 is not retried either", async () => {
  const app = createServer((req, res) => res.end("ok"));
  await new Promise((ok) => app.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${app.address().port}`;
  try {
    for (const [fault, attempts, reason, release] of [
      [faults.reset, 1, "network_error/session", "delivery-reset@1.0.0"],
      [() => faults.status(503), 1, "send_error/session", "delivery-503@1.0.0"],
    ]) {
      const from = { ...server.stats().discarded };
      // Requests per aggregate of this client (its item, which a resend repeats byte for byte).
      const perAggregate = new Map();
      let others = 0;
      start(
        (r) => {
          if (r.kind !== "other") return faults.ok();
          const item = r.envelope.items.find((i) => i.headers.type === "sessions")?.json;
          if (item?.attrs?.release === release) perAggregate.set(JSON.stringify(item), (perAggregate.get(JSON.stringify(item)) ?? 0) + 1);
          else others++;
          return fault();
        },
        { release, transportOptions: { maxRetries: 2 } },
      );
      // Three requests to a plain http server: request-mode sessions, an aggregate at flush.
      // The fault server runs in this process, so the envelopes it receives are requests too
      // and a later aggregate (of this client, or of the one it replaced) may count them.
      for (let i = 0; i < 3; i++) await fetch(base).then((r) => r.text());
      assert.equal(await oxeye.flush(3000), true);
      assert.equal(await oxeye.flush(3000), true);
      // (Two aggregates of this client may be equal, byte for byte: each is sent `attempts` times.)
      const counts = [...perAggregate.values()];
      assert.ok(counts.length >= 1, "an aggregate was sent");
      assert.deepEqual(counts.map((c) => c % attempts), counts.map(() => 0), `${reason}: requests per aggregate ${counts}`);
      const sent = counts.reduce((a, c) => a + c, 0) / attempts;
      const counted = discardedSince(from);
      assert.deepEqual(Object.keys(counted), [reason]);
      assert.ok(counted[reason] >= sent && counted[reason] <= sent + others, `${reason}: ${counted[reason]} counted for ${sent} aggregate(s)`);
    }
  } finally {
    app.close();
  }
});

test("at most 6 requests run at once, and waiting for a turn does not count against the timeout", async () => {
  // Each answer takes 300 ms, well inside the 1 s timeout; the last of five waves waits
  // 1.2 s for its turn, which would time it out if waiting counted. (The previous test's
  // client is closed first: its last aggregate would be a seventh request.)
  await oxeye.close(2000);
  const s = start((r) => (r.kind === "event" ? faults.slow(300) : faults.ok()), { transportOptions: { bufferSize: 30, timeoutMs: 1000 } });
  server.stats().maxOpen = 0;
  for (let i = 0; i < 30; i++) oxeye.captureMessage(`queued ${i}`);
  assert.equal(await oxeye.flush(5000), true);
  assert.equal(server.stats().maxOpen, 6);
  const events = s.requests().filter((r) => r.kind === "event");
  assert.equal(events.length, 30, "five waves of six, none timed out and sent again");
  assert.ok(events.every((r) => r.outcome === 200));
});

test("flush resolves true only once everything is delivered or accounted for", async () => {
  let s = start((r) => (r.kind === "event" ? faults.slow(300) : faults.ok()));
  oxeye.captureMessage("slow but fine");
  assert.equal(await oxeye.flush(50), false, "still in flight");
  assert.equal(await oxeye.flush(2000), true);
  let n = 0;
  s = start((r) => (r.kind === "event" && n++ === 0 ? faults.reset() : faults.ok()), { transportOptions: { retryBaseMs: 300, retryMaxMs: 300 } });
  oxeye.captureMessage("waits for a retry");
  assert.equal(await oxeye.flush(60), false, "a retry is pending");
  assert.equal(await oxeye.flush(2000), true);
  assert.equal(server.stats().finalStatus.get(s.requests().at(-1).eventId), 200);
});

test("a resent envelope gets a fresh sent_at, written exactly once", async () => {
  let n = 0;
  const s = start((r) => (r.kind === "event" && n++ < 2 ? faults.reset() : faults.ok()), { transportOptions: { retryBaseMs: 30 } });
  oxeye.captureMessage("resent");
  assert.equal(await oxeye.flush(2000), true);
  const lines = s.requests().filter((r) => r.kind === "event").map((r) => r.headerLine);
  assert.equal(lines.length, 3);
  const stamps = lines.map((l) => {
    assert.equal(l.match(/"sent_at"/g)?.length, 1, l);
    return Date.parse(JSON.parse(l).sent_at);
  });
  assert.ok(stamps[1] > stamps[0] && stamps[2] > stamps[1], `stamps ${stamps}`);
  assert.equal(new Set(lines.map((l) => JSON.parse(l).event_id)).size, 1);
});

test("client reports: batched per flush, none when nothing was dropped, none with sendClientReports: false", async () => {
  const reports = () => server.stats().reports;
  let before = reports();
  start((r) => (r.kind === "event" ? faults.status(400) : faults.ok()));
  for (let i = 0; i < 4; i++) oxeye.captureMessage(`rejected ${i}`);
  assert.equal(await oxeye.flush(2000), true);
  assert.equal(reports() - before, 1, "one report for four drops");
  before = reports();
  assert.equal(await oxeye.flush(500), true);
  assert.equal(reports() - before, 0, "nothing new: no report");

  before = server.stats().requests;
  start((r) => (r.kind === "event" ? faults.status(400) : faults.ok()), { sendClientReports: false });
  oxeye.captureMessage("rejected, not reported");
  assert.equal(await oxeye.flush(2000), true);
  assert.deepEqual(server.requests.filter((r) => r.n >= before).map((r) => r.kind), ["event"]);
});

test("a client report that fails is not reported itself; it is sent again, as it was, at the next occasion", async () => {
  const from = { ...server.stats().discarded };
  let reportAttempts = 0;
  const s = start((r) => {
    if (r.kind === "event") return faults.status(413);
    reportAttempts++;
    return reportAttempts <= 3 ? faults.reset() : faults.ok();
  }, { transportOptions: { maxRetries: 1 } });
  oxeye.captureMessage("too large 1");
  assert.equal(await oxeye.flush(2000), true);
  assert.equal(reportAttempts, 2, "the report was tried and retried, then kept");
  oxeye.captureMessage("too large 2");
  assert.equal(await oxeye.flush(2000), true);
  assert.equal(reportAttempts, 5, "the kept report: reset, then delivered; then the new one");
  assert.deepEqual(discardedSince(from), { "send_error/error": 2 }, "both drops, once each, and nothing about the failed report");
  assert.equal(s.requests().filter((r) => r.kind === "client_report").length, 5);
});

test("a client report whose answer does not come in time is not sent again: the server may have counted it", async () => {
  let reportAttempts = 0;
  let late = true;
  start((r) => {
    if (r.kind === "event") return faults.status(413);
    reportAttempts++;
    return late ? faults.slow(1500) : faults.ok();
  }, { transportOptions: { maxRetries: 2 } });
  oxeye.captureMessage("too large 1");
  await oxeye.flush(3000);
  assert.equal(reportAttempts, 1, "tried once, not retried");
  late = false;
  const from = { ...server.stats().discarded };
  oxeye.captureMessage("too large 2");
  assert.equal(await oxeye.flush(3000), true);
  assert.equal(reportAttempts, 2, "the next report alone");
  assert.deepEqual(discardedSince(from), { "send_error/error": 1 }, "only the new drop: the first one's counts are not sent again");
});

test("client reports go out on the interval, which does not keep Node alive", async () => {
  const from = { ...server.stats().discarded };
  start((r) => (r.kind === "event" ? faults.status(400) : faults.ok()), { clientReportFlushInterval: 100 });
  oxeye.captureMessage("rejected");
  await waitFor(() => discardedSince(from)["send_error/error"], { timeoutMs: 5000, what: "a client report sent without a flush" });
  assert.deepEqual(discardedSince(from), { "send_error/error": 1 });

  // A process with a client (60 s report interval) and nothing else to do exits on its
  // own, long before the interval: killed at 30 s, it would have no exit code.
  assert.equal((await runNode(`o.init({ dsn: "${server.dsn}" });`)).code, 0, "exited by itself");
});

test("a process whose event went to a DSN that refuses it exits within the close's two seconds, not after its retries", async () => {
  // Port 9 refuses the connection at once; the retries (1, 2 and 4 s) would take 7 s.
  const { code, ms } = await runNode(`o.init({ dsn: "http://k@127.0.0.1:9/1" }); o.captureException(new Error("one error"));`);
  assert.equal(code, 0, "exited by itself");
  assert.ok(ms < 5000, `exited after ${ms} ms`);
});

/** Runs `body` with `o`, the Node entry, in a process of its own: its exit code (none when killed at 30 s) and how long it ran. */
async function runNode(body) {
  const script = `import("${new URL("../dist/entrypoints/node.js", import.meta.url).href}").then((o) => { ${body} });`;
  const started = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "inherit" });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, ms: Date.now() - started };
}

test("keepalive only while the in-flight total stays within 60,000 bytes and under 64 requests; bodies are read", async () => {
  const seen = [];
  let read = 0;
  const gates = [];
  const fakeFetch = (url, init) => {
    seen.push(init.keepalive);
    return new Promise((resolve) => gates.push(() => resolve({ status: 200, headers: new Headers(), text: async () => (read++, "") })));
  };
  const transport = makeFetchTransport({ browser: true, fetch: fakeFetch });
  const send = (bytes) => transport({ url: "http://x/", headers: {}, body: new Uint8Array(bytes) });
  const inflight = [send(30_000), send(30_000), send(1)];
  assert.deepEqual(seen, [true, true, false], "60,000 bytes fit; one byte more does not");
  for (let i = 0; i < 14; i++) inflight.push(send(10));
  gates.splice(0).forEach((g) => g());
  await Promise.all(inflight);
  assert.equal(read, 17, "every response body was read");
  seen.length = 0;
  const many = Array.from({ length: 65 }, () => send(10));
  assert.deepEqual(seen.map(Boolean), [...Array(64).fill(true), false], "the 65th concurrent request goes without keepalive");
  gates.splice(0).forEach((g) => g());
  await Promise.all(many);
  seen.length = 0;
  const p0 = transport({ url: "http://x/", headers: {}, body: new Uint8Array(1), keepalive: false });
  assert.deepEqual(seen, [false], "a request that need not outlive the page goes without keepalive");
  gates.splice(0).forEach((g) => g());
  await p0;
  const node = makeFetchTransport({ fetch: fakeFetch });
  seen.length = 0;
  const p = node({ url: "http://x/", headers: {}, body: new Uint8Array(1) });
  assert.deepEqual(seen, [undefined], "no keepalive outside browsers");
  gates.splice(0).forEach((g) => g());
  await p;
});

test("the browser entry's makeFetchTransport takes the global fetch as it is when made and sends with the engine's transport", async () => {
  const browser = await import("../dist/entrypoints/browser.js");
  const seen = [];
  const saved = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    seen.push([url, init.keepalive, init.referrerPolicy, init.method]);
    return { status: 429, headers: new Headers({ "retry-after": "7", "x-other": "1" }), text: async () => "" };
  };
  let transport;
  try {
    transport = browser.makeFetchTransport({ browser: true });
  } finally {
    globalThis.fetch = saved;
  }
  assert.notEqual(transport, undefined);
  const res = await transport({ url: "http://x/api/1/envelope/", headers: {}, body: new Uint8Array(3) });
  assert.deepEqual(seen, [["http://x/api/1/envelope/", true, "strict-origin", "POST"]], "the fetch of the moment it was made, in browser mode");
  assert.deepEqual(res, { status: 429, headers: { "retry-after": "7" } });
});

test("a transport of another shape (Sentry's factory form, `transport: makeFetchTransport`) is said on the console, without debug, and its envelopes counted", async () => {
  const logs = captureConsole(["warn"]);
  let s;
  try {
    s = start(() => faults.ok(), { transport: oxeye.makeFetchTransport, sendClientReports: false });
    await s.client.ready;
    oxeye.captureMessage("through a factory");
    oxeye.captureMessage("through a factory again");
    assert.equal(await oxeye.flush(2000), true);
  } finally {
    logs.restore();
  }
  assert.equal(s.requests().length, 0, "nothing reached the server");
  const said = logs.lines.filter((l) => l.includes("`transport` answered function"));
  assert.equal(said.length, 1, logs.lines.join("\n"));
  assert.match(said[0], /\[oxeye\].*\{ status, headers \}.*not as a factory.*send_error/);
});

test("offline: envelopes are kept while the network is down and sent, stamped afresh, after the next success", async () => {
  const store = createMemoryStore({ maxEntries: 3 });
  const from = { ...server.stats().discarded };
  await server.setOffline(true);
  let s;
  try {
    s = start(() => faults.ok(), { offline: { store }, transportOptions: { maxRetries: 1 } });
    for (let i = 0; i < 5; i++) oxeye.captureMessage(`offline ${i}`);
    assert.equal(await oxeye.flush(3000), true, "kept or counted: flush is done");
  } finally {
    await server.setOffline(false);
  }
  assert.equal(await store.size(), 3);
  const kept = (await store.take(3)).entries;
  const stamps = [];
  for (const e of kept) {
    stamps.push(/"sent_at":"([^"]+)"/.exec(new TextDecoder().decode(e.body).split("\n")[0])?.[1]);
    assert.equal(e.category, Category.Error);
    await store.push(e);
  }
  oxeye.captureMessage("back online");
  assert.equal(await oxeye.flush(3000), true);
  await waitFor(async () => (await store.size()) === 0, { what: "the kept envelopes to be taken from the store" });
  assert.equal(await oxeye.flush(3000), true);
  const events = s.requests().filter((r) => r.kind === "event");
  assert.equal(events.length, 4);
  for (const r of events) assert.equal(r.headerLine.match(/"sent_at"/g)?.length, 1, r.headerLine);
  // A kept envelope is stamped again when it is finally sent.
  const resent = events.filter((r) => stamps.some((t) => t && r.headerLine.includes(t)));
  assert.equal(resent.length, 0, "no kept envelope went out with the sent_at of its failed attempt");
  assert.deepEqual(discardedSince(from), { "cache_overflow/error": 2 });

  // The option: off, or a store of one's own; nothing else without a runtime default (Node).
  assert.equal(offlineStoreFor(false), undefined);
  assert.equal(offlineStoreFor({ store, maxEntries: 1 }), store);
  assert.equal(offlineStoreFor(true), undefined);
  assert.equal(offlineStoreFor(undefined), undefined);
  // The runtime's default store is made only when the app passed none and storage is on.
  const made = [];
  const makeDefault = (o) => (made.push(o), createMemoryStore(o));
  assert.ok(offlineStoreFor(true, makeDefault));
  assert.equal(offlineStoreFor({ store, maxEntries: 1 }, makeDefault), store);
  assert.equal(offlineStoreFor(false, makeDefault), undefined);
  assert.deepEqual(made, [{}]);

  // Age: an expired envelope is dropped as cache_overflow when the store is next read.
  const aged = createMemoryStore({ maxAgeMs: 10 });
  await aged.push({ url: "u", body: new Uint8Array(3), category: "error", quantity: 1, savedAt: Date.now() - 1000 });
  const taken = await aged.take(10);
  assert.equal(taken.entries.length, 0);
  assert.equal(taken.dropped.length, 1);
});

test("offline: a client sends only the kept envelopes of its own URL (two apps of one origin share the store, each with its project, limits and reports)", async () => {
  const store = createMemoryStore();
  // Another project's envelope, on the same server (what a replay would send is seen).
  const dsn = new URL(server.dsn);
  const other = { url: `${dsn.protocol}//${dsn.host}/api/7/envelope/?sentry_key=other`, body: new TextEncoder().encode('{}\n{"type":"event"}\n{"message":"the other app\'s"}'), category: "error", quantity: 1, savedAt: Date.now() };
  await store.push(other);
  const s = start(() => faults.ok(), { offline: { store } });
  oxeye.captureMessage("this client's own");
  assert.equal(await oxeye.flush(3000), true);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await oxeye.flush(3000), true);
  assert.equal(s.requests().filter((r) => r.kind === "event").length, 1, "only its own event");
  assert.equal(await store.size(), 1, "the other app's envelope waits for that app");
  assert.deepEqual((await store.take(10, other.url)).entries.map((e) => e.url), [other.url]);
  // One kept by another version of oxeye (its URL names that version) is taken by this one:
  // the same endpoint and key.
  const kept = `${dsn.protocol}//${dsn.host}/api/42/envelope/?sentry_key=pubkey&sentry_version=7&sentry_client=oxeye.javascript/0.0.9`;
  await store.push({ ...other, url: kept });
  assert.equal((await store.take(10, kept.replace("sentry_key=pubkey", "sentry_key=another"))).entries.length, 0, "not by another key");
  assert.equal((await store.take(10, kept.replace("0.0.9", "0.1.0"))).entries.length, 1);
});

test("Spotlight gets a copy of every envelope without delaying delivery; an absent sidecar is skipped with backoff and logged once", async () => {
  const sidecar = await startFaultServer();
  try {
    start((r) => (r.kind === "event" ? faults.status(400) : faults.ok()), { spotlight: `${sidecar.url}/stream` });
    oxeye.captureMessage("to spotlight");
    assert.equal(await oxeye.flush(2000), true);
    await waitFor(() => sidecar.stats().requests >= 2, { what: "the event's and the report's copies" });
    const copies = sidecar.requests;
    assert.deepEqual(copies.map((r) => r.kind).sort(), ["client_report", "event"], "the event and the report");
    assert.ok(copies.every((r) => r.headers["content-type"] === "application/x-sentry-envelope"));
  } finally {
    await sidecar.close();
  }

  // A sidecar that never answers: had delivery waited for the copy, nothing would arrive.
  const hung = await startFaultServer({ respond: () => faults.slow(60_000) });
  try {
    const s = start(() => faults.ok(), { spotlight: `${hung.url}/stream` });
    oxeye.captureMessage("sidecar hangs");
    assert.equal(await oxeye.flush(2000), true, "delivery did not wait for Spotlight");
    assert.equal(s.requests().filter((r) => r.kind === "event").length, 1);
    await waitFor(() => hung.stats().requests === 1, { what: "the copy to reach the sidecar" });
    assert.equal(hung.stats().maxOpen, 1, "and still waits for its answer");
  } finally {
    await hung.close();
  }

  const gone = await startFaultServer();
  const url = `${gone.url}/stream`;
  await gone.setOffline(true);
  const logs = captureConsole();
  try {
    const s = start(() => faults.ok(), { spotlight: url });
    oxeye.captureMessage("no sidecar 0");
    assert.equal(await oxeye.flush(2000), true);
    await waitFor(() => logs.lines.some((l) => l.includes(url)), { what: "the first failed copy to be logged" });
    for (let i = 1; i < 5; i++) {
      oxeye.captureMessage(`no sidecar ${i}`);
      assert.equal(await oxeye.flush(2000), true);
    }
    assert.equal(s.requests().filter((r) => r.kind === "event").length, 5, "every event was delivered");
  } finally {
    logs.restore();
    await gone.close();
  }
  const warnings = logs.lines.filter((l) => l.includes(`Spotlight at ${url} `));
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0], /not reachable/);
});

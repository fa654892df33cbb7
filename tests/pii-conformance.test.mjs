// On-device PII scrubbing checked against Sentry's own server-side scrubber. A seeded
// corpus of events with planted secrets goes through oxeye (the real wasm core, Node
// entry, captureEvent, capturing transport) and through sentry-relay's default data
// scrubbing (`pii_strip_event(convert_datascrubbing_config(defaults), event)`):
//   - every planted value Relay removes, oxeye removes too (0 misses);
//   - where oxeye removes more is printed;
//   - on a clean corpus of ordinary values oxeye changes fewer than 1% (printed);
//   - every scrubbed event still passes Sentry's normaliser with no errors;
//   - docs/privacy.md ("Proven against Relay") quotes the figures these runs measure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createClient, init } from "../dist/entrypoints/node.js";
import { captureTransport } from "./helpers/capture-transport.mjs";
import { normalizeEvents, piiStripDefaults } from "../scripts/lib/relay.mjs";
import { cleanCorpus, sensitiveCorpus } from "./helpers/pii-corpus.mjs";

const DSN = "http://pubkey@127.0.0.1:9/42";
const SENSITIVE_EVENTS = 1200;
const CLEAN_EVENTS = 1000;

/** Runs events through oxeye's `captureEvent`; returns the sent events in input order. */
async function throughOxeye(events, options = {}) {
  const cap = captureTransport();
  const client = createClient({ dsn: DSN, ...options, transport: cap.transport });
  await client.ready;
  assert.equal(client.disabledReason, undefined);
  const ids = [];
  for (let i = 0; i < events.length; i += 50) {
    for (const ev of events.slice(i, i + 50)) ids.push(client.captureEvent(structuredClone(ev)));
    assert.equal(await client.flush(10_000), true);
  }
  await client.close(1000);
  const byId = new Map(cap.events().map((e) => [e.event_id, e]));
  return ids.map((id) => {
    const ev = byId.get(id);
    assert.ok(ev, `event ${id} was not sent`);
    return ev;
  });
}

/** The same events through oxeye, oxeye with scrubbing off, and Relay's default scrubbing. */
function throughAll(inputs) {
  return Promise.all([throughOxeye(inputs), throughOxeye(inputs, { scrub: false }), piiStripDefaults(inputs.map((e) => structuredClone(e)))]);
}

const has = (out, needles) => needles.some((n) => out.includes(n));
/**
 * An event as text without what differs from run to run (ids, times, the trace), so a
 * short value ("404") is not found by chance in a random id.
 */
const stable = (ev) => JSON.stringify({ ...ev, event_id: undefined, timestamp: undefined, received: undefined, contexts: ev?.contexts && { ...ev.contexts, trace: undefined } });

/** docs/privacy.md on one line. */
const privacyDoc = readFileSync(new URL("../docs/privacy.md", import.meta.url), "utf8").replace(/\s+/g, " ");

/** The groups of the one match of `re` in docs/privacy.md. */
function quoted(re) {
  const m = privacyDoc.match(re);
  assert.ok(m, `docs/privacy.md says ${re}`);
  return m.slice(1);
}

const figure = (n) => n.toLocaleString("en-US");

function table(title, rows, columns) {
  const lines = [title, columns.join(" | "), columns.map(() => "---").join(" | ")];
  for (const r of rows) lines.push(r.join(" | "));
  console.log(lines.join("\n") + "\n");
}

test("oxeye removes every planted value Sentry's server removes, and reports where it removes more", async (t) => {
  const corpus = sensitiveCorpus(0x0ee1, SENSITIVE_EVENTS);
  const inputs = corpus.map((c) => c.event);
  const [mine, unscrubbed, relay] = await throughAll(inputs);

  // Only plants that oxeye's pipeline sends when scrubbing is off count: anything else was
  // changed by the pipeline (its depth limit on captured data, say), not by scrubbing.
  let notSent = 0;
  const allPlants = corpus.reduce((n, c) => n + c.plants.length, 0);
  for (const [i, c] of corpus.entries()) {
    const raw = stable(unscrubbed[i]);
    c.plants = c.plants.filter((p) => p.needles.every((n) => raw.includes(n)) || (notSent++, false));
  }
  assert.ok(notSent < allPlants / 10, `${notSent} of ${allPlants} planted values do not survive oxeye with scrub: false`);

  const stats = new Map();
  const misses = [];
  let planted = 0;
  let relayRemoved = 0;
  let oxeyeRemoved = 0;
  let oxeyeOnly = 0;
  let neither = 0;
  corpus.forEach(({ plants }, i) => {
    const a = stable(mine[i]);
    const b = stable(relay[i]);
    for (const p of plants) {
      planted++;
      const byOxeye = !has(a, p.needles);
      const byRelay = !has(b, p.needles);
      relayRemoved += byRelay;
      oxeyeRemoved += byOxeye;
      const key = `${p.place} / ${p.kind.split(":")[0] === p.kind ? p.kind : p.kind.split(":")[0]}`;
      const s = stats.get(key) ?? { planted: 0, relay: 0, oxeye: 0, more: 0, neither: 0, examples: new Set() };
      s.planted++;
      s.relay += byRelay;
      s.oxeye += byOxeye;
      if (byRelay && !byOxeye) misses.push({ event: i, ...p, output: a.slice(0, 2000) });
      if (byOxeye && !byRelay) {
        s.more++;
        oxeyeOnly++;
      }
      if (!byOxeye && !byRelay) {
        s.neither++;
        neither++;
        s.examples.add(`${p.kind} (${p.spelling})`);
      }
      stats.set(key, s);
    }
  });

  // coverage: every part of an event and many spellings were exercised
  const places = new Set(corpus.flatMap((c) => c.plants.map((p) => p.place)));
  const spellings = new Set(corpus.flatMap((c) => c.plants.map((p) => p.spelling)));
  for (const place of [
    "logentry.formatted", "message (legacy)", "exception.value", "frame.vars", "breadcrumb.message", "breadcrumb.data",
    "request.url", "request.query_string", "request.headers", "request.cookies", "request.data", "extra", "contexts", "tags",
    "user.data", "user.ip_address", "transaction",
  ]) {
    assert.ok(places.has(place), `no plant in ${place}`);
  }
  assert.ok(spellings.size >= 20, `only ${spellings.size} spellings`);
  assert.ok(corpus.length >= 1000 && planted >= 3000, `${corpus.length} events, ${planted} plants`);

  const rows = [...stats.entries()].sort().map(([k, s]) => [k, s.planted, s.relay, s.oxeye, s.more, s.neither]);
  table("PII conformance by place / kind (removed = no trace of the planted value in the sent event)", rows, ["place / kind", "planted", "Relay removes", "oxeye removes", "oxeye only", "neither"]);
  const neitherRows = [...stats.entries()].filter(([, s]) => s.neither).map(([k, s]) => [k, s.neither, [...s.examples].slice(0, 4).join(", ")]);
  if (neitherRows.length) table("Planted values neither removes (kept by design or beyond both scrubbers)", neitherRows, ["place / kind", "count", "examples"]);
  const summary =
    `${corpus.length} events, ${planted} planted values in ${places.size} places and ${spellings.size} spellings: ` +
    `Relay removes ${relayRemoved}, oxeye removes ${oxeyeRemoved}; misses (Relay removes, oxeye keeps): ${misses.length}; ` +
    `oxeye removes ${oxeyeOnly} that Relay keeps; ${neither} kept by both` +
    (notSent ? ` (${notSent} more planted values left out: the pipeline's depth limit changes them even with scrub: false)` : "");
  console.log(summary);
  t.diagnostic(summary);
  assert.deepEqual(misses.slice(0, 5), [], `${misses.length} planted values Relay removes were sent by oxeye`);
  assert.deepEqual(
    quoted(/of ([\d,]+) seeded events \(([\d,]+) values that oxeye's pipeline sends when scrubbing is off, (\d+) places, (\d+) spellings/),
    [figure(corpus.length), figure(planted), String(places.size), String(spellings.size)],
    "the corpus as docs/privacy.md describes it",
  );
  assert.deepEqual(
    quoted(/Relay removes ([\d,]+), oxeye ([\d,]+), and every value Relay removes, oxeye removes too \(0 misses\)\. What both keep \(([\d,]+)\)/),
    [figure(relayRemoved), figure(oxeyeRemoved), figure(neither)],
    "the removals as docs/privacy.md quotes them",
  );

  // every scrubbed event is still one Sentry accepts as is
  const normalized = await normalizeEvents(mine);
  const invalid = normalized.map((r, i) => [i, r.errors]).filter(([, e]) => e.length);
  assert.deepEqual(invalid.slice(0, 5), [], `${invalid.length} scrubbed events have normaliser errors`);
});

test("a context named like a secret (credentials, auth, token, …) is removed whole, as Sentry's server removes it, set on a scope or in the event", async () => {
  const NAMES = ["credentials", "auth", "password", "secret", "token", "api_key"];
  const SECRET = "hunter2-prod";
  const events = NAMES.map((name) => ({ message: `deploy with ${name}`, contexts: { [name]: { user: "svc-deploy", value: SECRET } } }));
  const relay = await piiStripDefaults(events.map((e) => structuredClone(e)));
  const mine = await throughOxeye(events);
  // The same contexts set on a scope, whose data is scrubbed when it is set.
  const cap = captureTransport();
  const client = createClient({ dsn: DSN, transport: cap.transport });
  await client.ready;
  for (const name of NAMES) {
    client.withScope((scope) => {
      scope.setContext(name, { user: "svc-deploy", value: SECRET });
      client.captureMessage(`scope context ${name}`);
    });
  }
  assert.equal(await client.flush(10_000), true);
  await client.close(1000);
  const fromScopes = cap.events();
  assert.equal(fromScopes.length, NAMES.length);
  NAMES.forEach((name, i) => {
    assert.ok(!JSON.stringify(relay[i]).includes(SECRET), `Relay removes contexts.${name}`);
    assert.ok(!JSON.stringify(mine[i]).includes(SECRET), `contexts.${name} in an event: ${JSON.stringify(mine[i].contexts)}`);
    const scoped = fromScopes.find((e) => e.logentry?.formatted === `scope context ${name}` || e.message === `scope context ${name}`);
    assert.ok(scoped && !JSON.stringify(scoped).includes(SECRET), `contexts.${name} set on a scope: ${JSON.stringify(scoped?.contexts)}`);
  });
});

test("a secret that a length limit splits is not sent in part: the word the cut falls in goes whole", async () => {
  const SECRETS = ["4111 1111 1111 1111", "5555\u00a05555\u00a05555\u00a04444", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiZW1haWwiOiJqb2huQGV4YW1wbGUuY29tIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "AKIAIOSFODNN7EXAMPLE", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"];
  // Where each path cuts: the console breadcrumb's message (1,000 characters, in the
  // shim), exception values and messages (8,192, the core), strings of user data (16 KiB,
  // the shim's normaliser) and a breadcrumb's message (16 KiB, the core's scrubber).
  const filler = (n) => "lorem ipsum ".repeat(Math.ceil(n / 12)).slice(0, n);
  const around = (at, secret, k) => `${filler(at - k - 1)} ${secret} exp 12/29`;
  const cap = captureTransport();
  const client = init({ dsn: DSN, transport: cap.transport, breadcrumbs: { console: true }, dedupe: false });
  await client.ready;
  const uncut = [];
  try {
    for (const secret of SECRETS) {
      for (const k of [2, 5, 9, secret.length - 2]) {
        console.log(around(1000, secret, k));
        client.captureException(new Error(around(8192, secret, k)));
        client.captureMessage(around(8192, secret, k));
        client.withScope((scope) => {
          scope.setExtra("dump", around(16384, secret, k));
          scope.addBreadcrumb({ message: around(16384, secret, k) });
          client.captureMessage("user data");
        });
      }
      // The same secret whole, far from any cut: scrubbed.
      uncut.push({ breadcrumbs: [{ message: `${filler(100)} ${secret} exp 12/29` }], extra: { dump: `${filler(100)} ${secret}` }, message: `whole ${uncut.length}` });
      // (Sent secret by secret: the send buffer holds 64 envelopes.)
      assert.equal(await client.flush(10_000), true);
    }
    assert.equal(await client.flush(10_000), true);
  } finally {
    await client.close(1000);
  }
  // (Without the ids, times and trace of each event, whose hex could hold "4111".)
  const sent = cap.events().map(stable).join("\n");
  assert.equal(cap.events().length, SECRETS.length * 4 * 3);
  const whole = JSON.stringify(await throughOxeye(uncut));
  const relay = JSON.stringify(await piiStripDefaults([{ breadcrumbs: { values: [{ message: around(1000, SECRETS[0], 5) }] } }]));
  assert.ok(!relay.includes("4111"), "Relay, given the whole line, removes the card number");
  for (const secret of SECRETS) {
    assert.ok(!whole.includes(secret.slice(0, 6)), `oxeye scrubs ${secret} whole`);
    const start = secret.slice(0, 6);
    const i = sent.indexOf(start);
    assert.equal(i, -1, `the start of ${secret} was sent: …${sent.slice(i - 40, i + 40)}…`);
  }
});

test("a card number grouped by the spaces locales write (no-break, figure, narrow no-break, ideographic) is removed, as Sentry's server removes it", async () => {
  const SPACES = ["\u00a0", "\u2007", "\u202f", "\u3000"];
  const events = SPACES.map((sp) => ({ message: `paid ${sp}`, extra: { note: `paid with ${["4111", "1111", "1111", "1111"].join(sp)}` }, breadcrumbs: [{ message: `card ${["5555", "5555", "5555", "4444"].join(sp)} ok` }] }));
  const [mine, relay] = await Promise.all([throughOxeye(events), piiStripDefaults(events.map((e) => structuredClone(e)))]);
  SPACES.forEach((sp, i) => {
    const name = `U+${sp.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    assert.ok(!JSON.stringify(relay[i].extra).includes("4111"), `Relay removes the card grouped by ${name}`);
    assert.ok(!JSON.stringify(mine[i].extra).includes("4111"), `oxeye removes the card grouped by ${name}: ${JSON.stringify(mine[i].extra)}`);
    assert.ok(!JSON.stringify(mine[i].breadcrumbs).includes("5555"), `and in a breadcrumb: ${JSON.stringify(mine[i].breadcrumbs)}`);
  });
});

test("text cut at a limit in the middle of an emoji, and lone surrogates the app passes, leave events Sentry's server accepts (no half characters)", async () => {
  const cap = captureTransport();
  const client = init({ dsn: DSN, transport: cap.transport, breadcrumbs: { console: true }, dedupe: false, scrub: false });
  await client.ready;
  try {
    // 1,201 code units: the console line's cut (1,000) falls between the halves of an emoji.
    console.log("x" + "\u{1f600}".repeat(600));
    client.withScope((scope) => {
      // The normaliser's cut (16 KiB) likewise; then a lone half in every field of user data.
      scope.setExtra("long", "x" + "\u{1f600}".repeat(9000));
      scope.setExtra("lone", "a\ud800b");
      scope.setContext("ctx", { v: "\udc00", ["k\ud83d"]: 1 });
      scope.setUser({ id: "u1", username: "\ud800" });
      scope.addBreadcrumb({ message: "m\ud800", data: { d: "\udfff" } });
      console.log("\ud800 lone");
      client.captureMessage("cut and lone");
    });
    assert.equal(await client.flush(10_000), true);
  } finally {
    await client.close(1000);
  }
  const [ev] = cap.events();
  assert.ok(ev, "the event was sent");
  const text = JSON.stringify(ev);
  assert.doesNotMatch(text, /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i, "no lone surrogate escape");
  assert.equal(ev.extra.lone, "a\ufffdb");
  assert.equal(ev.user.username, "\ufffd");
  assert.ok(ev.extra.long.endsWith("\u{1f600}…"), "the cut keeps the last whole emoji");
  const line = ev.breadcrumbs.values.find((b) => b.category === "console" && b.message.startsWith("x"));
  assert.ok(line.message.endsWith("\u{1f600}…") && line.message.length <= 1001, line.message.slice(-4));
  const [checked] = await normalizeEvents([text]);
  assert.deepEqual(checked.errors, [], "Sentry's normaliser reads the event");
});

test("with scrub.email every planted email address is removed too", async () => {
  const corpus = sensitiveCorpus(0x0ee1, SENSITIVE_EVENTS);
  const mine = await throughOxeye(corpus.map((c) => c.event), { scrub: { email: true } });
  const emails = corpus.flatMap(({ plants }, i) => plants.filter((p) => p.kind === "email").map((p) => [i, p]));
  assert.ok(emails.length >= 100, `only ${emails.length} planted emails`);
  const kept = emails.filter(([i, p]) => has(JSON.stringify(mine[i]), p.needles));
  assert.deepEqual(kept.map(([, p]) => `${p.place} ${p.spelling} ${p.needles[0]}`), []);
});

test("ordinary values pass unchanged: false-positive rate under 1%", async (t) => {
  const corpus = cleanCorpus(0xc1ea, CLEAN_EVENTS);
  const inputs = corpus.map((c) => c.event);
  const [mine, unscrubbed, relay] = await throughAll(inputs);
  // values the pipeline changes even with scrub: false are not the scrubber's doing
  for (const [i, c] of corpus.entries()) {
    const raw = stable(unscrubbed[i]);
    c.values = c.values.filter((v) => raw.includes(JSON.stringify(v.needle).slice(1, -1)));
  }
  const perKind = new Map();
  let total = 0;
  let changed = 0;
  let relayChanged = 0;
  const examples = [];
  corpus.forEach(({ values }, i) => {
    const a = stable(mine[i]);
    const b = stable(relay[i]);
    for (const v of values) {
      const needle = JSON.stringify(v.needle).slice(1, -1);
      const lost = !a.includes(needle);
      const relayLost = !b.includes(needle);
      total++;
      changed += lost;
      relayChanged += relayLost;
      const k = perKind.get(v.kind) ?? { total: 0, oxeye: 0, relay: 0 };
      k.total++;
      k.oxeye += lost;
      k.relay += relayLost;
      perKind.set(v.kind, k);
      if (lost && examples.length < 10) examples.push(`${v.place}: ${v.kind} ${v.needle}`);
    }
  });
  const pct = (n) => `${((100 * n) / total).toFixed(2)}%`;
  table(
    "Clean corpus: ordinary values changed",
    [...perKind.entries()].sort().map(([k, s]) => [k, s.total, s.oxeye, s.relay]),
    ["kind", "values", "changed by oxeye", "changed by Relay"],
  );
  const summary = `${corpus.length} events, ${total} ordinary values: oxeye changed ${changed} (${pct(changed)}), Relay changed ${relayChanged} (${pct(relayChanged)})`;
  console.log(summary + (examples.length ? `\noxeye examples: ${examples.join("; ")}` : ""));
  t.diagnostic(summary);
  assert.ok(total >= 5000, `only ${total} clean values`);
  assert.ok(changed / total < 0.01, summary);
  assert.deepEqual(
    quoted(/On ([\d,]+) ordinary values \([^)]*\) oxeye changes (?:none|[\d,]+) \(([\d.]+)%\); Relay changes ([\d.]+)%/),
    [figure(total), pct(changed).slice(0, -1), pct(relayChanged).slice(0, -1)],
    "the ordinary values as docs/privacy.md quotes them",
  );
  const normalized = await normalizeEvents(mine);
  assert.deepEqual(normalized.map((r) => r.errors).filter((e) => e.length).slice(0, 5), []);
});

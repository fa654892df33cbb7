// PII options through the public API over the real wasm core (Node entry): defaults,
// sendDefaultPii, scrub options, turning scrubbing off, and invalid values (init never
// throws; a bad sendDefaultPii is read as false, a bad scrub option turns the client off).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "../dist/entrypoints/node.js";
import { eventsOf } from "./helpers/envelope.mjs";

const DSN = "http://pubkey@127.0.0.1:9/42";

async function send(options, event) {
  const bodies = [];
  const client = createClient({ dsn: DSN, ...options, transport: async (req) => (bodies.push(req.body), { status: 200, headers: {} }) });
  client.captureEvent(event);
  await client.flush(2000);
  return { client, events: eventsOf(bodies) };
}

const EVENT = {
  message: "login failed for anna@example.com from 198.51.100.23",
  user: { id: "42", email: "anna@example.com", username: "anna" },
  request: {
    url: "https://shop.example.com/cb?code=c0de&page=2",
    headers: { Authorization: "Bearer t0ken", Cookie: "sessionid=s1; theme=dark", "X-Forwarded-For": "198.51.100.23" },
  },
  extra: { password: "hunter2", order: "ORD-2024-000123", card: "4111 1111 1111 1111", tenant_ref: "acme-7" },
};

test("defaults: secrets, IPs and cookies filtered; the app's own user data kept; no IP inference", async () => {
  const { events } = await send({}, structuredClone(EVENT));
  const ev = events[0];
  assert.equal(ev.logentry.formatted, "login failed for [email] from [ip]");
  assert.deepEqual(ev.user, { id: "42", email: "anna@example.com", username: "anna" });
  assert.equal(ev.sdk.settings, undefined, "only DSNs on sentry.io get sdk.settings");
  assert.equal(ev.request.url, "https://shop.example.com/cb?code=[Filtered]&page=2");
  assert.deepEqual(ev.request.headers, { Authorization: "[Filtered]", Cookie: "sessionid=[Filtered]; theme=[Filtered]", "X-Forwarded-For": "[ip]" });
  assert.deepEqual(ev.extra, { password: "[Filtered]", order: "ORD-2024-000123", card: "[creditcard]", tenant_ref: "acme-7" });
  assert.deepEqual(ev._meta.extra.password, { "": { rem: [["!oxeye:key", "s", 0, 10]], len: 7 } });
});

test("sendDefaultPii keeps IPs and ordinary cookies; secrets are still filtered", async () => {
  const { events } = await send({ sendDefaultPii: true }, structuredClone(EVENT));
  const ev = events[0];
  assert.equal(ev.logentry.formatted, "login failed for [email] from 198.51.100.23");
  assert.equal(ev.request.headers.Cookie, "sessionid=[Filtered]; theme=dark");
  assert.equal(ev.request.headers["X-Forwarded-For"], "198.51.100.23");
  assert.equal(ev.request.headers.Authorization, "[Filtered]");
  assert.equal(ev.extra.password, "[Filtered]");
});

test("for sentry.io, events say the sender's IP must not be recorded (it is a server's in Node)", async () => {
  for (const sendDefaultPii of [false, true]) {
    const { events } = await send({ dsn: "https://pubkey@o1.ingest.sentry.io/42", sendDefaultPii }, structuredClone(EVENT));
    assert.deepEqual(events[0].sdk.settings, { infer_ip: "never" });
    assert.equal(events[0].user.ip_address, undefined);
  }
});

test("scrub options add keys, exempt keys, add value rules and switch groups", async () => {
  const scrub = {
    keys: ["tenant_ref"],
    safeKeys: ["password"],
    values: [{ name: "order", prefix: "ORD-", chars: "0-9-", minLength: 6, replacement: "[order]" }],
    ip: false,
    email: false,
  };
  const { client, events } = await send({ scrub }, structuredClone(EVENT));
  assert.equal(client.scrubError, undefined);
  const ev = events[0];
  assert.equal(ev.logentry.formatted, "login failed for anna@example.com from 198.51.100.23");
  assert.deepEqual(ev.extra, { password: "hunter2", order: "[order]", card: "[creditcard]", tenant_ref: "[Filtered]" });
  assert.equal(ev._meta.extra.order[""].rem[0][0], "!oxeye:custom:order");
});

test("scrub: false sends the event as given", async () => {
  const { events } = await send({ scrub: false }, structuredClone(EVENT));
  assert.equal(events[0].extra.password, "hunter2");
  assert.equal(events[0].request.headers.Authorization, "Bearer t0ken");
  assert.equal(events[0]._meta, undefined);
});

test("a sendDefaultPii that is not a boolean is reported and read as false", async () => {
  const { client, events } = await send({ sendDefaultPii: "yes" }, structuredClone(EVENT));
  assert.equal(client.scrubError, undefined);
  assert.ok(client.optionErrors.some((e) => e.includes("sendDefaultPii")), client.optionErrors.join("; "));
  assert.equal(events[0].request.headers["X-Forwarded-For"], "[ip]");
  assert.equal(events[0].request.headers.Cookie, "sessionid=[Filtered]; theme=[Filtered]");
});

test("an invalid scrub option: init does not throw, the client says why and sends nothing", async () => {
  const logs = [];
  const original = console.log;
  console.log = (...a) => logs.push(a.join(" "));
  try {
    for (const [options, want] of [
      [{ scrub: { keys: ["ok", 7] } }, "invalid option `scrub.keys[1]`: expected a string, got a number"],
      [{ scrub: { emails: true } }, "invalid option `scrub.emails`: unknown field (expected one of keys, safeKeys, values, ip, email)"],
      [{ scrub: { values: [{ name: "x", prefix: "k_", chars: "z-a" }] } }, "invalid option `scrub.values[0].chars`: range \"z-a\" is reversed"],
      [{ scrub: "strict" }, "invalid option `scrub`: expected false, true or an object, got \"strict\""],
    ]) {
      const { client, events } = await send({ ...options, debug: true }, structuredClone(EVENT));
      assert.equal(client.scrubError, want);
      assert.equal(client.disabledReason, `oxeye is disabled: ${want}`);
      assert.equal(events.length, 0);
      assert.ok(logs.some((l) => l === `[oxeye] oxeye is disabled: ${want}`), logs.join("\n"));
    }
  } finally {
    console.log = original;
  }
});

/**
 * harness.test.mjs — checks the real-parts harness itself: a Bugsink server in
 * a temp dir stores a hand-built Sentry envelope and gives it back through its
 * REST API, and sentry-relay's normaliser tells a valid event from a broken one.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBugsink, stopAll } from '../scripts/lib/bugsink.mjs';
import { normalizeEvents } from '../scripts/lib/relay.mjs';

function makeEvent(overrides = {}) {
  const eventId = randomUUID().replaceAll('-', '');
  return {
    event_id: eventId,
    timestamp: Date.now() / 1000,
    platform: 'javascript',
    level: 'error',
    release: 'harness@1.0.0',
    environment: 'test',
    tags: { suite: 'harness', run: eventId.slice(0, 8) },
    exception: {
      values: [
        {
          type: 'HarnessError',
          value: `envelope round trip ${eventId}`,
          mechanism: { type: 'generic', handled: false },
          stacktrace: {
            frames: [
              { function: 'outer', filename: 'http://127.0.0.1/app.js', lineno: 10, colno: 3, in_app: true },
              { function: 'inner', filename: 'http://127.0.0.1/app.js', lineno: 20, colno: 7, in_app: true },
            ],
          },
        },
      ],
    },
    ...overrides,
  };
}

function envelope(event) {
  return [
    JSON.stringify({ event_id: event.event_id, sent_at: new Date().toISOString() }),
    JSON.stringify({ type: 'event' }),
    JSON.stringify(event),
  ].join('\n');
}

/** Posts `event` to Bugsink's envelope endpoint with query-string auth; returns the response. */
function post(bugsink, event) {
  const url = `${bugsink.envelopeUrl}?sentry_key=${bugsink.sentryKey}&sentry_version=7`;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: envelope(event),
    signal: AbortSignal.timeout(10_000),
  });
}

/** Waits until Bugsink has stored `event`; returns what it stored. */
async function stored(bugsink, event) {
  const events = await bugsink.api.waitForEvents(
    (evs) => evs.some((e) => e.data.event_id === event.event_id),
    { timeoutMs: 10_000 },
  );
  return events.find((e) => e.data.event_id === event.event_id);
}

describe('Bugsink', { timeout: 120_000 }, () => {
  let dataDir;
  let bugsink;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oxeye-harness-test-'));
    bugsink = await startBugsink({ dataDir });
  });

  after(async () => {
    await stopAll();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('serves on loopback with a DSN, a token and a login', () => {
    assert.match(bugsink.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const dsn = new URL(bugsink.dsn);
    assert.equal(dsn.hostname, '127.0.0.1');
    assert.equal(dsn.username, bugsink.sentryKey);
    assert.equal(dsn.pathname, `/${bugsink.projectId}`);
    assert.match(bugsink.token, /^[0-9a-f]{40}$/);
    assert.equal(bugsink.login.user, 'admin');
  });

  test('stores an envelope posted with query-string auth and returns it through the API', async () => {
    const event = makeEvent();
    const res = await post(bugsink, event);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { id: event.event_id });

    const kept = await stored(bugsink, event);
    const [ex] = kept.data.exception.values;
    assert.equal(ex.type, 'HarnessError');
    assert.equal(ex.value, event.exception.values[0].value);
    assert.deepEqual(ex.mechanism, { type: 'generic', handled: false });
    assert.deepEqual(ex.stacktrace.frames.map((f) => f.function), ['outer', 'inner']);
    assert.deepEqual(kept.data.tags, event.tags);
    assert.equal(kept.event_id.replaceAll('-', ''), event.event_id);

    const issues = await bugsink.api.issues();
    const issue = issues.find((i) => i.id === kept.issue);
    assert.equal(issue.calculated_type, 'HarnessError');
    const listed = await bugsink.api.events(issue.id);
    assert.ok(listed.some((e) => e.id === kept.id));
    assert.equal((await bugsink.api.lookup(event.event_id)).id, kept.id);
  });

  test('waitForEvents fails with a list of what was stored', async () => {
    // This test stores its own event: it must not rely on what an earlier test left.
    const event = makeEvent({ exception: { values: [{ type: 'ListedError', value: 'listed when a wait fails' }] } });
    assert.equal((await post(bugsink, event)).status, 200);
    await stored(bugsink, event);
    await assert.rejects(
      bugsink.api.waitForEvents(() => false, { timeoutMs: 300 }),
      /condition not met within 300 ms; Bugsink stored \d+ event\(s\):\n(.*\n)*.*ListedError/,
    );
  });
});

describe('sentry-relay normaliser', { timeout: 120_000 }, () => {
  test('accepts a good event and reports broken fields', async () => {
    const good = makeEvent();
    const [ok, badLevel, badTimestamp, badJson] = await normalizeEvents([
      good,
      makeEvent({ level: 42 }),
      makeEvent({ timestamp: { seconds: 1 } }),
      '{"event_id": ',
    ]);
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.event.exception.values[0].type, 'HarnessError');
    assert.deepEqual(badLevel.errors.map((e) => [e.type, e.name]), [['invalid_data', 'level']]);
    assert.deepEqual(badTimestamp.errors.map((e) => [e.type, e.name]), [['invalid_data', 'timestamp']]);
    assert.equal(badJson.errors[0].type, 'invalid_json');
  });
});

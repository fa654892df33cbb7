/**
 * relay.mjs — owns checking events against sentry-relay, the Rust code Sentry
 * runs on every incoming event, through scripts/python/relay_normalize.py.
 *
 * One Python process per call handles the whole batch (JSON on stdin, JSON on
 * stdout); the relay venv is built on first use by scripts/ensure-python.sh.
 *
 *   async normalizeEvents(events) -> Array<{ errors, event }>
 *     `event` is the normalised event (what Sentry would store), `errors` its
 *     `errors` list ([] when Sentry accepts the event as is). Each error looks
 *     like { type: 'invalid_data', name: 'level', value: 42, reason? } or
 *     { type: 'invalid_attribute', name: '<unknown top-level key>' }. A string
 *     in `events` is sent as raw JSON text (bad JSON -> one 'invalid_json'
 *     error, event null).
 *   async piiStripDefaults(events, config?) -> Array<event>
 *     the events after Sentry's default server-side data scrubbing (or the
 *     given datascrubbing / PII config); scrubbed values are replaced
 *     ('[Filtered]', '[ip]', ...) and explained under `_meta`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVenv, runProcess } from './python-env.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'python', 'relay_normalize.py');

async function runRelay(op, events, config) {
  if (!Array.isArray(events)) throw new TypeError('events must be an array');
  const venv = await ensureVenv('relay');
  const r = await runProcess(join(venv, 'bin', 'python'), [script], {
    input: JSON.stringify({ op, events, config }),
    env: { ...process.env, RUST_BACKTRACE: '0', PYTHONDONTWRITEBYTECODE: '1' },
    timeoutMs: 60_000 + events.length * 50,
  });
  if (r.code !== 0) {
    throw new Error(`relay_normalize.py ${op} failed (exit ${r.code ?? r.signal}):\n${r.stderr.slice(-4000)}`);
  }
  const out = JSON.parse(r.stdout);
  if (out.length !== events.length) {
    throw new Error(`relay_normalize.py returned ${out.length} results for ${events.length} events`);
  }
  return out;
}

export function normalizeEvents(events) {
  return runRelay('normalize', events);
}

export function piiStripDefaults(events, config = undefined) {
  return runRelay('pii_strip', events, config);
}

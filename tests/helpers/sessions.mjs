/**
 * Test helper for release health: finds the `session` / `sessions` items a test server
 * received and checks each against Sentry's session protocol (the fields and types Relay
 * reads: `SessionUpdate` / `SessionAggregates`), with release names checked by
 * sentry-relay itself (`parse_release`, scripts/python/relay_release.py).
 *
 *   sessionUpdates(envelopes) -> the `session` payloads, in arrival order
 *   sessionAggregates(envelopes) -> the `sessions` payloads, in arrival order
 *   aggregateTotals(aggregates) -> { exited, errored, crashed } summed over every bucket
 *   sessionProblems(update) / aggregateProblems(item) -> [] or sentences
 *   async assertValidSessions(updates, aggregates?) -> asserts no problem, releases valid
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureVenv, runProcess } from "../../scripts/lib/python-env.mjs";

const script = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "scripts", "python", "relay_release.py");
const STATUSES = ["ok", "exited", "crashed", "abnormal", "errored"];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const UUID = /^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function itemsOf(envelopes, type) {
  return envelopes
    .map((e) => e.envelope ?? e)
    .flatMap((e) => e.items)
    .filter((i) => i.headers.type === type)
    .map((i) => i.json);
}

export const sessionUpdates = (envelopes) => itemsOf(envelopes, "session");
export const sessionAggregates = (envelopes) => itemsOf(envelopes, "sessions");

/** The `exited`, `errored` and `crashed` counts of `sessions` payloads, summed over all their buckets. */
export function aggregateTotals(aggregates) {
  const total = { exited: 0, errored: 0, crashed: 0 };
  for (const a of aggregates) for (const b of a.aggregates) for (const k of Object.keys(total)) total[k] += b[k] ?? 0;
  return total;
}

const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isUint = (v) => Number.isInteger(v) && v >= 0;

function unknownKeys(o, allowed, what) {
  return Object.keys(o).filter((k) => !allowed.includes(k)).map((k) => `${what}: unknown key ${k}`);
}

function attrsProblems(a) {
  if (!isObj(a)) return ["attrs is required (object)"];
  const p = unknownKeys(a, ["release", "environment", "ip_address", "user_agent"], "attrs");
  if (typeof a.release !== "string" || a.release === "") p.push("attrs.release is required (string)");
  for (const k of ["environment", "ip_address", "user_agent"]) {
    if (k in a && typeof a[k] !== "string") p.push(`attrs.${k} is not a string`);
  }
  if (typeof a.environment === "string" && (a.environment.length > 64 || a.environment.includes("/"))) p.push("attrs.environment is not valid");
  return p;
}

function timeProblems(o, key) {
  if (typeof o[key] !== "string" || !RFC3339.test(o[key]) || Number.isNaN(Date.parse(o[key]))) return [`${key} is not an RFC 3339 UTC timestamp: ${o[key]}`];
  return [];
}

/** Problems of one `session` payload ([] when Sentry accepts it). */
export function sessionProblems(s) {
  if (!isObj(s)) return ["not an object"];
  const p = unknownKeys(s, ["sid", "did", "seq", "init", "timestamp", "started", "duration", "status", "errors", "attrs", "abnormal_mechanism"], "session");
  if (typeof s.sid !== "string" || !UUID.test(s.sid)) p.push(`sid is not a UUID: ${s.sid}`);
  if ("did" in s && s.did !== null && typeof s.did !== "string") p.push("did is not a string");
  if ("seq" in s && !isUint(s.seq)) p.push("seq is not an unsigned integer");
  if ("init" in s && typeof s.init !== "boolean") p.push("init is not a boolean");
  p.push(...timeProblems(s, "started"), ...timeProblems(s, "timestamp"));
  if (Date.parse(s.timestamp) < Date.parse(s.started)) p.push("timestamp is before started");
  if ("duration" in s && !(typeof s.duration === "number" && s.duration >= 0)) p.push("duration is not a non-negative number");
  if ("status" in s && !STATUSES.includes(s.status)) p.push(`status ${s.status} is not a session status`);
  if ("errors" in s && !isUint(s.errors)) p.push("errors is not an unsigned integer");
  p.push(...attrsProblems(s.attrs));
  return p;
}

/** Problems of one `sessions` payload (request-mode aggregates). */
export function aggregateProblems(s) {
  if (!isObj(s)) return ["not an object"];
  const p = unknownKeys(s, ["aggregates", "attrs"], "sessions");
  if (!Array.isArray(s.aggregates) || s.aggregates.length === 0 || s.aggregates.length > 100) {
    p.push("aggregates must hold 1 to 100 buckets");
  } else {
    for (const b of s.aggregates) {
      if (!isObj(b)) { p.push("a bucket is not an object"); continue; }
      p.push(...unknownKeys(b, ["started", "did", "exited", "errored", "abnormal", "unhandled", "crashed"], "bucket"));
      p.push(...timeProblems(b, "started"));
      for (const k of ["exited", "errored", "abnormal", "unhandled", "crashed"]) {
        if (k in b && !(isUint(b[k]) && b[k] <= 0xffffffff)) p.push(`bucket.${k} is not a u32`);
      }
    }
  }
  p.push(...attrsProblems(s.attrs));
  return p;
}

/** For each release: null when sentry-relay accepts it, else its error. */
export async function relayReleaseErrors(releases) {
  const venv = await ensureVenv("relay");
  const r = await runProcess(join(venv, "bin", "python"), [script], { input: JSON.stringify(releases), timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`relay_release.py failed (exit ${r.code ?? r.signal}):\n${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout);
}

/** Asserts every payload passes the schema and its release passes sentry-relay. */
export async function assertValidSessions(updates, aggregates = []) {
  assert.ok(updates.length + aggregates.length > 0, "no session payloads to check");
  for (const u of updates) assert.deepEqual(sessionProblems(u), [], `session ${JSON.stringify(u)}`);
  for (const a of aggregates) assert.deepEqual(aggregateProblems(a), [], `sessions ${JSON.stringify(a)}`);
  const releases = [...new Set([...updates, ...aggregates].map((x) => x.attrs.release))];
  const errors = await relayReleaseErrors(releases);
  releases.forEach((r, i) => assert.equal(errors[i], null, `release ${JSON.stringify(r)} rejected by sentry-relay`));
}

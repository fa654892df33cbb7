// The client's plain options read and checked for the core (js/api/options.ts): the cases
// are those the core's tests used when it read and checked them itself; the core now
// reads only the values that passed (src/options.rs). tests/pipeline.test.mjs and
// tests/pii-options.test.mjs check `optionErrors` end to end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { resolveOptions, parseRate, coreNumber, shimOptionErrors } = await import(`${dist}api/options.js`);
const { normalize } = await import(`${dist}api/normalize.js`);

/** The options as the engine hands them over (normalised), resolved: the core's values with their defaults, and the sentences. */
function opts(given) {
  const [resolved, errors] = resolveOptions(normalize(given, { depth: 5 }));
  const o = JSON.parse(JSON.stringify(resolved));
  const [m, e] = o.sampleRate ?? [1, 0];
  return {
    ...o,
    environment: o.environment ?? "production",
    sampleRate: m / 2 ** e,
    debug: o.debug ?? false,
    enabled: o.enabled ?? true,
    // Counts as the core reads them: its number, whole, clamped.
    maxBreadcrumbs: Math.min(Math.trunc(coreNumber(o.maxBreadcrumbs ?? 100)), 100),
    maxLinkedErrors: Math.min(Math.trunc(coreNumber(o.maxLinkedErrors ?? 5)), 100),
    errors,
  };
}

test("code wins over environment variables", () => {
  const o = opts({
    dsn: "http://k@h/1",
    env: { SENTRY_DSN: "http://other@h/2", SENTRY_RELEASE: "env@1", SENTRY_ENVIRONMENT: "staging", SENTRY_SAMPLE_RATE: "0.25", SENTRY_DEBUG: "yes" },
  });
  assert.equal(o.dsn, "http://k@h/1");
  assert.equal(o.release, "env@1");
  assert.equal(o.environment, "staging");
  assert.equal(o.sampleRate, 0.25);
  assert.equal(o.debug, true);
  const code = opts({ sampleRate: 0.5, debug: false, env: { SENTRY_SAMPLE_RATE: "0.25", SENTRY_DEBUG: "1" } });
  assert.equal(code.sampleRate, 0.5);
  assert.equal(code.debug, false);
  assert.deepEqual(code.errors, []);
  assert.equal(opts({ release: " ", buildRelease: "built@2" }).release, "built@2", "a blank release is none");
  // A Pages Function's bindings name its commit; SENTRY_RELEASE wins.
  assert.equal(opts({ env: { CF_PAGES_COMMIT_SHA: "0f1e2d3c" } }).release, "0f1e2d3c");
  assert.equal(opts({ env: { CF_PAGES_COMMIT_SHA: "0f1e2d3c", SENTRY_RELEASE: "shop@3" } }).release, "shop@3");
});

test("the environment, when nobody names it, is the host name's guess", () => {
  const hosts = { development: "localhost", staging: "staging.shop.example", preview: "shop-1a2b3c4d5-acme.vercel.app", production: "shop.example" };
  for (const [env, hostname] of Object.entries(hosts)) assert.equal(opts({ host: { hostname } }).environment, env);
  assert.equal(opts({}).environment, "production");
  assert.equal(opts({ environment: " a\ud800b " }).environment, "a\ufffdb", "as the core decodes it");
});

test("per-environment defaults apply below code and environment variables", () => {
  const envs = { development: { sampleRate: 1.0, debug: true }, production: { sampleRate: 0.1 } };
  const dev = opts({ host: { hostname: "localhost" }, environments: envs });
  assert.equal(dev.debug, true);
  assert.equal(dev.sampleRate, 1.0);
  const prod = opts({ host: { hostname: "shop.example" }, environments: envs });
  assert.equal(prod.sampleRate, 0.1);
  assert.equal(prod.debug, false);
  const overridden = opts({ environment: "production", sampleRate: 0.9, environments: envs });
  assert.equal(overridden.sampleRate, 0.9);
  assert.equal(opts({ environment: "constructor", environments: envs }).sampleRate, 1, "only the object's own members");
});

test("bad values are reported and replaced by defaults", () => {
  const o = opts({ dsn: "http://k@h/1", sampleRate: 7, maxBreadcrumbs: "many", ignoreErrors: "not a list", env: { SENTRY_SAMPLE_RATE: "lots" } });
  assert.equal(o.dsn, "http://k@h/1", "one bad value loses nothing else");
  assert.equal(o.sampleRate, 1.0);
  assert.equal(o.maxBreadcrumbs, 100);
  assert.deepEqual(o.errors, [
    'SENTRY_SAMPLE_RATE "lots" is not a number from 0 to 1; it is ignored',
    "sampleRate is not a number from 0 to 1; 1 is used",
    'option `maxBreadcrumbs` has an invalid value "many"; it is ignored',
    'option `ignoreErrors` has an invalid value "not a list"; it is ignored',
  ]);
  assert.deepEqual(resolveOptions("nope")[1], ['options must be a JSON object, not "nope"; defaults are used']);
  assert.deepEqual(resolveOptions(null)[1], []);
  // Sentences quote at most 100 UTF-8 bytes of the value's JSON, whole characters.
  assert.deepEqual(opts({ tunnel: ["é".repeat(200)] }).errors, [`option \`tunnel\` has an invalid value ["${"é".repeat(49)}; it is ignored`]);
  // Not a number: non-finite numbers reach the core as text.
  assert.deepEqual(opts({ sampleRate: NaN }).errors, ['option `sampleRate` has an invalid value "NaN"; it is ignored']);
});

test("sample rates from text", () => {
  assert.equal(parseRate("1"), 1.0);
  assert.equal(parseRate("0"), 0.0);
  assert.equal(parseRate("1.0"), 1.0);
  assert.ok(Math.abs(parseRate("0.25") - 0.25) < 1e-12);
  assert.ok(Math.abs(parseRate(".5") - 0.5) < 1e-12);
  for (const bad of ["", ".", "lots", "-0.5", "1e-3", "0.5.1", " 0.5", "1234567890"]) assert.equal(parseRate(bad), undefined, bad);
  // Digit by digit, as the core read it (not `Number`): the same `f64` reaches the core.
  assert.equal(parseRate("0.9468321690"), 0.9468321689999999);
  assert.equal(opts({ env: { SENTRY_SAMPLE_RATE: " 0.9468321690 " } }).sampleRate, 0.9468321689999999);
});

test("numbers as the core's JSON reader reads them", () => {
  assert.equal(coreNumber(0.9999999999999999), 1);
  assert.equal(coreNumber(1e21), 1e21);
  assert.equal(coreNumber(-2.5), -2.5);
  assert.equal(coreNumber(0.9468321689999999), 0.946832169);
  assert.equal(coreNumber(91.00000000000001), 91);
  // 0.9999999999999999 reads as 1: a whole number, as the core judged it.
  assert.equal(opts({ maxBreadcrumbs: 0.9999999999999999 }).maxBreadcrumbs, 1);
  assert.deepEqual(opts({ maxBreadcrumbs: 0.9999999999999999 }).errors, []);
});

test("filters and status lists", () => {
  const o = opts({ ignoreErrors: ["a"], denyUrls: ["x"], ignoreHttpStatus: [404, [500, 599]], ignoreBrowserNoise: false });
  assert.deepEqual(o.ignoreErrors, ["a"]);
  assert.deepEqual(o.ignoreHttpStatus, [404, [500, 599]]);
  assert.equal(o.ignoreBrowserNoise, false);
  assert.equal(opts({}).ignoreHttpStatus, undefined, "the core's default (400-499)");
  for (const bad of [[70000], [[1, 2, 3]], [-1], ["404"], 404]) {
    const r = opts({ ignoreHttpStatus: bad });
    assert.equal(r.ignoreHttpStatus, undefined);
    assert.equal(r.errors.length, 1);
  }
  assert.equal(opts({ env: { SENTRY_DEBUG: " On " } }).debug, true);
  assert.equal(opts({ env: { SENTRY_DEBUG: "OFF" }, environments: { production: { debug: true } } }).debug, false);
  assert.equal(opts({ env: { SENTRY_DEBUG: "maybe" }, environments: { production: { debug: true } } }).debug, true, "not a boolean word: the next source");
  assert.deepEqual(opts({ env: { SENTRY_DEBUG: "maybe" } }).errors, []);
});

test("org id is a trimmed string or a number", () => {
  assert.equal(opts({ orgId: " 17 " }).orgId, "17");
  assert.equal(opts({ orgId: 1.5e3 }).orgId, "1500");
  const blank = opts({ orgId: "  " });
  assert.deepEqual([blank.orgId, blank.errors.length], [undefined, 0]);
  const bad = opts({ orgId: true });
  assert.deepEqual([bad.orgId, bad.errors.length], [undefined, 1]);
});

test("limits are clamped, and the clamp is said", () => {
  const o = opts({ maxBreadcrumbs: 1e9, maxLinkedErrors: 1e9 });
  assert.deepEqual([o.maxBreadcrumbs, o.maxLinkedErrors], [100, 100]);
  assert.deepEqual(o.errors, ["option `maxBreadcrumbs` is above 100, the most; 100 is used", "option `maxLinkedErrors` is above 100, the most; 100 is used"]);
  assert.deepEqual(opts({ maxBreadcrumbs: 100, maxLinkedErrors: 100 }).errors, []);
  const bad = opts({ ignoreErrors: "string", maxBreadcrumbs: -1, orgId: 42, scrub: { enabled: false } });
  assert.equal(bad.errors.length, 2, bad.errors.join("; "));
  assert.equal(bad.orgId, "42");
  assert.deepEqual(bad.scrub, { enabled: false }, "passed as given: the core judges it");
});

test("the options only the shim reads: pattern lists with RegExps and normalizeDepth are checked", () => {
  assert.deepEqual(shimOptionErrors({ ignoreErrors: ["a", /b/], denyUrls: [], allowUrls: null, normalizeDepth: 0 }), []);
  assert.deepEqual(shimOptionErrors({ normalizeDepth: 20 }), []);
  assert.deepEqual(shimOptionErrors({ ignoreErrors: "flaky", denyUrls: ["x", 3, /y/, null], normalizeDepth: "deep" }), [
    'option `ignoreErrors` has an invalid value "flaky"; it is ignored',
    "option `denyUrls` has an invalid value 3; it is ignored",
    "option `denyUrls` has an invalid value null; it is ignored",
    'option `normalizeDepth` has an invalid value "deep"; it is ignored',
  ]);
  assert.deepEqual(shimOptionErrors({ allowUrls: {}, normalizeDepth: -1 }), [
    "option `allowUrls` has an invalid value {}; it is ignored",
    "option `normalizeDepth` has an invalid value -1; it is ignored",
  ]);
  assert.deepEqual(shimOptionErrors({ ignoreErrors: [10n], normalizeDepth: NaN }), [
    "option `ignoreErrors` has an invalid value bigint; it is ignored",
    "option `normalizeDepth` has an invalid value null; it is ignored",
  ]);
  assert.deepEqual(shimOptionErrors({ normalizeDepth: 21 }), ["option `normalizeDepth` is above 20, the most; 20 is used"]);
});

test("sendDefaultPii: a bad value is reported and left out (the core reads false)", () => {
  const o = opts({ sendDefaultPii: "yes" });
  assert.equal(o.sendDefaultPii, undefined);
  assert.deepEqual(o.errors, ['option `sendDefaultPii` has an invalid value "yes"; it is ignored']);
});

test("runtime: a short ASCII name, else unknown", () => {
  assert.equal(opts({ runtime: " node " }).runtime, "node");
  for (const bad of ["a".repeat(33), "wörk", "edge-1"]) assert.equal(opts({ runtime: bad }).runtime, undefined, bad);
});

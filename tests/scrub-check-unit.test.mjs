// The `scrub` option's checker (js/api/scrub-check.ts): the cases the core's tests used
// when it checked the option itself, now with the whole sentences; the core builds its
// rules from values that passed (src/pii/config.rs). tests/pii-options.test.mjs checks
// `scrubError` and `disabledReason` end to end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { checkScrub } = await import(`${dist}api/scrub-check.js`);
const { resolveOptions, wellFormed, coreNumber } = await import(`${dist}api/options.js`);
const { normalize } = await import(`${dist}api/normalize.js`);

/** The sentence for `scrub` as the engine hands it over (normalised, resolved), or undefined. */
const check = (scrub) => checkScrub(resolveOptions(normalize({ scrub }, { depth: 5 }))[0].scrub, wellFormed, coreNumber);

test("values that pass: none, true, false, a full object", () => {
  for (const scrub of [undefined, null, true, false, {}, { email: "messages" }, { email: false }]) assert.equal(check(scrub), undefined);
  const full = {
    keys: ["X-Tenant-Ref", " order secret "],
    safeKeys: ["Author"],
    values: [{ name: "stripe", prefix: "sk_live_", chars: "A-Za-z0-9\\-", minLength: 8, replacement: "[stripe]", ignoreCase: true }],
    ip: false,
    email: true,
  };
  assert.equal(check(full), undefined);
  assert.equal(check({ values: [{ name: "a", prefix: "x", chars: "a", minLength: 0.9999999999999999 }] }), undefined, "a whole number as the core reads it");
});

test("a wrong value is named, with the reason", () => {
  const rule = (r) => ({ values: [{ name: "a", prefix: "x", ...r }] });
  for (const [scrub, want] of [
    ["on", 'invalid option `scrub`: expected false, true or an object, got "on"'],
    [5, "invalid option `scrub`: expected false, true or an object, got a number"],
    [["a"], "invalid option `scrub`: expected false, true or an object, got an array"],
    [{ keyz: [] }, "invalid option `scrub.keyz`: unknown field (expected one of keys, safeKeys, values, ip, email)"],
    [{ zz: 1, ab: 2 }, "invalid option `scrub.ab`: unknown field (expected one of keys, safeKeys, values, ip, email)"],
    [{ "\u{1F600}": 1, "\uE000": 2 }, "invalid option `scrub.\uE000`: unknown field (expected one of keys, safeKeys, values, ip, email)"],
    [{ keys: "password" }, 'invalid option `scrub.keys`: expected an array of key names, got "password"'],
    [{ keys: null }, "invalid option `scrub.keys`: expected an array of key names, got null"],
    [{ keys: ["a", 5] }, "invalid option `scrub.keys[1]`: expected a string, got a number"],
    [{ keys: Array(201).fill("k") }, "invalid option `scrub.keys`: more than 200 entries"],
    [{ keys: ["k".repeat(65)] }, "invalid option `scrub.keys[0]`: longer than 64 characters"],
    [{ safeKeys: [""] }, "invalid option `scrub.safeKeys[0]`: must not be empty"],
    [{ ip: "no" }, 'invalid option `scrub.ip`: expected true or false, got "no"'],
    [{ email: "all" }, 'invalid option `scrub.email`: expected true, false or "messages", got "all"'],
    [{ email: {} }, 'invalid option `scrub.email`: expected true, false or "messages", got an object'],
    [{ values: { name: "a" } }, "invalid option `scrub.values`: expected an array of rules, got an object"],
    [{ values: Array(33).fill({ name: "a", prefix: "x" }) }, "invalid option `scrub.values`: more than 32 rules"],
    [{ values: [true] }, "invalid option `scrub.values[0]`: expected an object like { name, prefix, chars, minLength }, got true"],
    [{ values: [{ prefix: "x" }] }, "invalid option `scrub.values[0].name`: expected a string, got null"],
    [rule({ name: "a b" }), "invalid option `scrub.values[0].name`: use only letters, digits, `_` and `-`"],
    [rule({ name: "n".repeat(33) }), "invalid option `scrub.values[0].name`: longer than 32 characters"],
    [rule({ prefix: "" }), "invalid option `scrub.values[0].prefix`: must not be empty"],
    [rule({ chars: "z-a" }), 'invalid option `scrub.values[0].chars`: range "z-a" is reversed'],
    [rule({ chars: "0-9\\z-a" }), 'invalid option `scrub.values[0].chars`: range "z-a" is reversed'],
    [rule({ chars: "é" }), "invalid option `scrub.values[0].chars`: only ASCII characters are supported"],
    [rule({ chars: null }), 'invalid option `scrub.values[0].chars`: expected a string such as "A-Za-z0-9", got null'],
    [rule({ minLength: 3 }), "invalid option `scrub.values[0].minLength`: needs `chars` to say which characters follow the prefix"],
    [rule({ chars: "a", minLength: 1.5 }), "invalid option `scrub.values[0].minLength`: expected a whole number from 0 to 256, got a number"],
    [rule({ chars: "a", minLength: 257 }), "invalid option `scrub.values[0].minLength`: expected a whole number from 0 to 256, got a number"],
    [rule({ ignoreCase: "yes" }), 'invalid option `scrub.values[0].ignoreCase`: expected true or false, got "yes"'],
    [rule({ replacement: "" }), "invalid option `scrub.values[0].replacement`: must not be empty"],
    [rule({ regex: ".*" }), "invalid option `scrub.values[0].regex`: unknown field (expected one of name, prefix, chars, minLength, ignoreCase, replacement)"],
  ]) {
    assert.equal(check(scrub), want, JSON.stringify(scrub));
  }
});

test("strings are quoted as the core decodes them: 40 UTF-8 bytes, whole characters, lone surrogates as U+FFFD", () => {
  assert.equal(check("x".repeat(41)), `invalid option \`scrub\`: expected false, true or an object, got "${"x".repeat(40)}…"`);
  assert.equal(check("x".repeat(40)), `invalid option \`scrub\`: expected false, true or an object, got "${"x".repeat(40)}"`);
  assert.equal(check("é".repeat(21)), `invalid option \`scrub\`: expected false, true or an object, got "${"é".repeat(20)}…"`);
  assert.equal(check("x\uD800"), 'invalid option `scrub`: expected false, true or an object, got "x\uFFFD"');
  assert.equal(check({ "k\uDC00": 1 }), "invalid option `scrub.k\uFFFD`: unknown field (expected one of keys, safeKeys, values, ip, email)");
  assert.equal(check({ keys: ["\u{1F600}".repeat(64)] }), undefined, "64 characters, each a surrogate pair");
});

test("the browser's engine module loads the checker only for a client whose scrub needs it", async () => {
  const { browserEngine, startEngine } = await import(`${dist}api/engine.js`);
  // The entry's lazy parts, as the browser's platform has them (the engine's chunk makes no import() of its own).
  const platform = { runtime: "browser", parts: [() => import(`${dist}api/scrub-check.js`), () => import(`${dist}delivery/spotlight.js`)] };
  for (const scrub of [undefined, null, true, false]) assert.equal(browserEngine(platform, { options: { scrub } }), startEngine);
  assert.equal(platform.checkScrub, undefined);
  assert.equal(typeof platform.hostFacts, "function", "the page's host facts come with the engine's module");
  const later = browserEngine(platform, { options: { scrub: { ip: false } } });
  assert.ok(later instanceof Promise);
  assert.equal(await later, startEngine);
  assert.equal(platform.checkScrub, checkScrub);
  assert.equal(browserEngine(platform, { options: { scrub: "on" } }), startEngine, "loaded once");
});

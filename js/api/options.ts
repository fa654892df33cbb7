/**
 * The client's plain options read and checked for the core: each value of its type and in
 * its range, or reported (one sentence in `optionErrors`) and replaced by its default, so
 * one bad value loses nothing else. The core receives only values that passed and keeps
 * what is its own to judge: the DSN. The `scrub` option is passed on as given, for the
 * engine to check (`scrub-check.ts`).
 *
 * Resolution order for each setting, strongest first: code (`init` options) → environment
 * variables (`SENTRY_DSN`, `SENTRY_RELEASE`, `SENTRY_ENVIRONMENT`, `SENTRY_SAMPLE_RATE`,
 * `SENTRY_DEBUG`, from `process.env` or a Worker's `env`) → per-environment defaults
 * (`environments: { development: { … } }`) → built-in defaults. The environment, when
 * nobody names it, is the one guessed from the host name (`environment.ts`), else
 * `production`.
 *
 * The options are read as the core decodes their JSON text (`given` is the normalised
 * copy, `normalize.ts`): numbers as the core's JSON reader reads their text, strings with
 * lone surrogates as U+FFFD where they are compared or quoted, white space as Rust's
 * `char::is_whitespace`, sentences cut at 100 UTF-8 bytes.
 */
import { hostEnvironment, TRIM } from "./environment.js";

type Given = Record<string, unknown>;

/** `s` with each lone surrogate as U+FFFD (as the core decodes it), a leading U+FEFF kept. */
export const wellFormed = (s: string): string => new TextDecoder("utf-8", { ignoreBOM: true }).decode(new TextEncoder().encode(s));

/** The longest start of `s` of at most 100 UTF-8 bytes, whole characters. */
function clip(s: string): string {
  let bytes = 0;
  let end = 0;
  for (const c of s) {
    bytes += c < "\x80" ? 1 : c < "\u0800" ? 2 : c.length + 2;
    if (bytes > 100) break;
    end += c.length;
  }
  return s.slice(0, end);
}

/**
 * The number the core's JSON reader makes of `v`'s text: the digits as one whole number,
 * then multiplied by ten, or divided by up to 10^22 at a time, for the exponent (a
 * negative number is its magnitude's negation: the same steps, signs aside).
 */
export function coreNumber(v: number): number {
  const [digits, exp = 0] = String(v).split("e");
  const [int, frac = ""] = digits.split(".");
  let n = +(int + frac);
  let e = +exp - frac.length;
  for (; e > 0; e--) n *= 10;
  for (; e < 0; e += 22) {
    let p = 1;
    for (let step = Math.max(e, -22); step++ < 0; ) p *= 10;
    n /= p;
  }
  return n;
}

/**
 * `SENTRY_SAMPLE_RATE` as the core read it: a plain decimal such as `1`, `0.25` or `.5`
 * (at most 9 whole digits), the fraction digit by digit (the first 12).
 */
export function parseRate(s: string): number | undefined {
  const m = /^(?=.*\d)(\d{0,9})(?:\.(\d*))?$/.exec(s);
  if (!m) return undefined;
  let value = +m[1];
  let scale = 0.1;
  for (const c of (m[2] ?? "").slice(0, 12)) {
    value += +c * scale;
    scale /= 10;
  }
  return value;
}

/** The sentence for a value of option `key` that is not valid, and so ignored. */
function invalid(key: string, v: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    /* a BigInt, a cycle: named by its type */
  }
  return `option \`${key}\` has an invalid value ${clip(text ?? typeof v)}; it is ignored`;
}

/** The sentence for a value of option `key` above `max`, which is used instead. */
const above = (key: string, max: number): string => `option \`${key}\` is above ${max}, the most; ${max} is used`;

/** `s` trimmed, or undefined when absent or blank. */
const nonblank = (s: unknown): string | undefined => (typeof s == "string" && s.replace(TRIM, "")) || undefined;

const isObject = (v: unknown): v is Given => typeof v == "object" && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v == "string";
const isNumber = (v: unknown): v is number => typeof v == "number";
const isBoolean = (v: unknown): v is boolean => typeof v == "boolean";
/** A whole number from 0 to `max` as the core reads it. */
const isWhole = (v: unknown, max = Infinity): boolean => isNumber(v) && (v = coreNumber(v)) as number % 1 == 0 && (v as number) >= 0 && (v as number) <= max;
const isCode = (v: unknown): boolean => isWhole(v, 65535);
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every(isString);

/**
 * The settings read after the sample rate, in order: name, check, and whether the
 * per-environment defaults may give it (`debug` also reads `SENTRY_DEBUG` before them).
 */
const SETTINGS: Array<[string, (v: unknown) => boolean, 1?]> = [
  ["debug", isBoolean, 1],
  ["enabled", isBoolean, 1],
  ["maxBreadcrumbs", isWhole, 1],
  ["dedupe", isBoolean],
  ["maxLinkedErrors", isWhole],
  ["ignoreErrors", isStrings],
  ["denyUrls", isStrings],
  ["allowUrls", isStrings],
  ["ignoreHttpStatus", (v) => Array.isArray(v) && v.every((s) => (Array.isArray(s) ? s.length == 2 && s.every(isCode) : isCode(s)))],
  ["ignoreBrowserNoise", isBoolean],
  ["runtime", isString],
  ["tunnel", isString],
  ["sendDefaultPii", isBoolean, 1],
  ["scrub", () => true],
  // A string, trimmed, or a number as written.
  ["orgId", (v) => isString(v) || isNumber(v)],
  ["strictTraceContinuation", isBoolean],
];

/**
 * What the core reads as JSON (`src/options.rs`: only values that passed; the environment
 * as the core decodes it) and one sentence per rejected value, in the order the settings
 * are read.
 */
export function resolveOptions(given: Given): [Given, string[]] {
  const errors: string[] = [];
  if (!isObject(given)) errors.push(`options must be a JSON object, not ${clip(JSON.stringify(given))}; defaults are used`);
  given = (isObject(given) && given) || {};
  /** Member `key` of `from` when it is `ok`; absent and null give undefined, anything else is reported. */
  const get = (from: Given, key: string, ok: (v: unknown) => boolean): any => {
    const v = from[key];
    if (v == null) return undefined;
    if (ok(v)) return v;
    errors.push(invalid(key, v));
  };
  const text = (key: string) => nonblank(get(given, key, isString));
  const env: Given = get(given, "env", isObject) ?? {};
  const envVar = (key: string) => nonblank(env[key]);
  const host: Given = get(given, "host", isObject) ?? {};
  const out: Given = { host };
  out.dsn = text("dsn") ?? envVar("SENTRY_DSN");
  // (A Pages Function's bindings name its commit.)
  out.release = text("release") ?? envVar("SENTRY_RELEASE") ?? text("buildRelease") ?? envVar("CF_PAGES_COMMIT_SHA");
  const environment = text("environment") ?? envVar("SENTRY_ENVIRONMENT") ?? (isString(host.hostname) ? hostEnvironment(host.hostname) : "production");

  // Per-environment defaults sit between environment variables and built-ins.
  const perEnv: Given = get(given, "environments", isObject) ?? {};
  const name = (out.environment = wellFormed(environment));
  let defaults: Given = {};
  for (const k in perEnv)
    if (wellFormed(k) == name) {
      defaults = (isObject(perEnv[k]) && perEnv[k]) || {};
      break;
    }
  let envRate: number | undefined;
  const rateText = envVar("SENTRY_SAMPLE_RATE");
  if (rateText) {
    const r = parseRate(rateText);
    // (undefined, for a text that is not a rate, is not <= 1)
    if ((r as number) <= 1) envRate = r;
    else errors.push(`SENTRY_SAMPLE_RATE "${clip(wellFormed(rateText))}" is not a number from 0 to 1; it is ignored`);
  }
  const rateOf = (from: Given) => {
    const n = get(from, "sampleRate", isNumber);
    // (0 as given is 0 as the core reads it.)
    return n && coreNumber(n);
  };
  let rate = rateOf(given) ?? envRate ?? rateOf(defaults);
  if (rate !== undefined) {
    if (rate >= 0 && rate <= 1) {
      // The rate as [m, e], exactly m / 2^e.
      let e = 0;
      for (; rate % 1; e++) rate *= 2;
      out.sampleRate = [rate, e];
    } else errors.push("sampleRate is not a number from 0 to 1; 1 is used");
  }
  // `true, t, y, yes, on, 1` or `false, f, n, no, off, 0`, ASCII case ignored.
  const debugText = envVar("SENTRY_DEBUG");
  const envDebug = /^(true|t|y|yes|on|1)$/i.test(debugText!) || (/^(false|f|n|no|off|0)$/i.test(debugText!) ? false : undefined);
  for (const [key, ok, fromDefaults] of SETTINGS) {
    out[key] = get(given, key, ok) ?? (key == "debug" ? envDebug : undefined) ?? (fromDefaults && get(defaults, key, ok));
  }
  for (const k of ["maxBreadcrumbs", "maxLinkedErrors"]) if ((out[k] as number) > 100) errors.push(above(k, 100));
  const runtime = nonblank(out.runtime);
  out.runtime = runtime && /^[A-Za-z\d]{1,32}$/.test(runtime) ? runtime : undefined;
  out.tunnel = nonblank(out.tunnel);
  out.orgId = nonblank(out.orgId == null ? out.orgId : "" + out.orgId);
  return [out, errors];
}

/**
 * One sentence per invalid value of the options only the shim reads: the pattern lists
 * (`ignoreErrors`, `denyUrls`, `allowUrls`, whose RegExps never reach the core: anything
 * but a list, and each entry that is neither a string nor a RegExp, is ignored) and
 * `normalizeDepth` (else 3, at most 20), and the callbacks (anything but a function is
 * ignored).
 */
export function shimOptionErrors(o: Given): string[] {
  const errors: string[] = [];
  for (const k of ["beforeSend", "beforeBreadcrumb", "transport"]) if (o[k] != null && typeof o[k] != "function") errors.push(invalid(k, o[k]));
  for (const k of ["ignoreErrors", "denyUrls", "allowUrls"]) {
    const v = o[k];
    if (v != null) for (const p of Array.isArray(v) ? v.filter((p) => !isString(p) && !(p instanceof RegExp)) : [v]) errors.push(invalid(k, p));
  }
  const d = o.normalizeDepth;
  if (d != null && !(Number.isFinite(d) && (d as number) >= 0)) errors.push(invalid("normalizeDepth", d));
  else if ((d as number) > 20) errors.push(above("normalizeDepth", 20));
  return errors;
}

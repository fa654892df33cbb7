/**
 * The options as the core reads them: the plain ones as given, `SENTRY_*` variables (and
 * a Pages Function's `CF_PAGES_COMMIT_SHA`) from the host's environment and the `env`
 * option, the host's facts and the release a build injected; checked by `options.ts`,
 * with one sentence per rejected value (the shim's own checks included).
 */
import type { Options } from "./types.js";
import type { Platform } from "./contract.js";
import { normalize } from "./normalize.js";
import { filtersOf } from "./pipeline.js";
import { keysOf, read } from "./guard.js";
import { resolveOptions, shimOptionErrors } from "./options.js";

const PLAIN_OPTIONS = [
  "dsn",
  "release",
  "environment",
  "debug",
  "enabled",
  "tunnel",
  "sampleRate",
  "maxBreadcrumbs",
  "dedupe",
  "maxLinkedErrors",
  "ignoreHttpStatus",
  "ignoreBrowserNoise",
  "environments",
  "orgId",
  "strictTraceContinuation",
  "sendDefaultPii",
  "scrub",
] as const;

/** The options as the core reads them (checked by `options.ts`) and one sentence per rejected value. */
export function coreOptions(options: Options, platform: Platform): [resolved: Record<string, unknown>, errors: string[]] {
  const plain: Record<string, unknown> = { runtime: platform.runtime };
  for (const k of PLAIN_OPTIONS) {
    if (options[k] != null) plain[k] = options[k];
  }
  Object.assign(plain, filtersOf(options));
  const env: Record<string, string> = {};
  for (const source of [safe(() => platform.env?.()), options.env]) {
    if (!source || typeof source !== "object") continue;
    for (const k of keysOf(source)) {
      const v = read(source, k);
      if ((k.startsWith("SENTRY_") || k == "CF_PAGES_COMMIT_SHA") && typeof v === "string") env[k] = v;
    }
  }
  plain.env = env;
  const host: Record<string, unknown> = { ...safe(() => platform.hostFacts?.()) };
  if (typeof options.hostname === "string") host.hostname = options.hostname;
  plain.host = host;
  const built = safe(() => platform.buildRelease?.());
  if (built) plain.buildRelease = built;
  const [resolved, errors] = resolveOptions(normalize(plain, { depth: 5 }) as Record<string, unknown>);
  return [resolved, [...errors, ...(safe(() => shimOptionErrors(options as Record<string, unknown>)) ?? [])]];
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    /* undefined */
  }
}

/**
 * The options a Next app gives oxeye through its environment, for every build of
 * `oxeye/nextjs` (Node and edge, browser, Workers): the `SENTRY_*` variables, each also
 * as `NEXT_PUBLIC_SENTRY_*`, and the environment a deployment names itself by.
 */
import type { Options } from "oxeye";

// Each variable is read with its literal name: Next inlines `process.env.NEXT_PUBLIC_*` into
// client bundles only where the code spells it out, and `process` may not exist at all.
export const read = (get: () => string | undefined): string | undefined => {
  try {
    const v = get();
    return typeof v === "string" && v !== "" ? v : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The `SENTRY_*` settings of a Next app: server variables first (`SENTRY_DSN`, …), then the
 * public ones a client bundle can see (`NEXT_PUBLIC_SENTRY_DSN`, …).
 */
export function nextEnv(): Record<string, string> {
  const found: Record<string, string | undefined> = {
    SENTRY_DSN: read(() => process.env.SENTRY_DSN) ?? read(() => process.env.NEXT_PUBLIC_SENTRY_DSN),
    SENTRY_RELEASE: read(() => process.env.SENTRY_RELEASE) ?? read(() => process.env.NEXT_PUBLIC_SENTRY_RELEASE),
    SENTRY_ENVIRONMENT: read(() => process.env.SENTRY_ENVIRONMENT) ?? read(() => process.env.NEXT_PUBLIC_SENTRY_ENVIRONMENT),
    SENTRY_SAMPLE_RATE: read(() => process.env.SENTRY_SAMPLE_RATE) ?? read(() => process.env.NEXT_PUBLIC_SENTRY_SAMPLE_RATE),
    SENTRY_DEBUG: read(() => process.env.SENTRY_DEBUG) ?? read(() => process.env.NEXT_PUBLIC_SENTRY_DEBUG),
  };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(found)) if (v !== undefined) env[k] = v;
  return env;
}

/** The environment a Next deployment names itself by, when `SENTRY_ENVIRONMENT` is not set: Vercel's, else `NODE_ENV`. */
function deploymentEnvironment(): string | undefined {
  return (
    read(() => process.env.VERCEL_ENV) ??
    read(() => process.env.NEXT_PUBLIC_VERCEL_ENV) ??
    read(() => process.env.NODE_ENV)
  );
}

/**
 * `options` completed from the environment: its `env` over `bindings` (a Worker's
 * `SENTRY_*` bindings) over `nextEnv()`, and the deployment's environment when none is
 * named.
 */
export function nextOptions(options: Options, bindings?: Record<string, string>): Options {
  const env = { ...nextEnv(), ...bindings, ...(options.env ?? {}) };
  const opts: Options = { ...options, env };
  if (opts.environment === undefined && env.SENTRY_ENVIRONMENT === undefined) {
    const deployed = deploymentEnvironment();
    if (deployed) opts.environment = deployed;
  }
  return opts;
}

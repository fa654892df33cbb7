/**
 * Host facts every runtime can read the same way (the `culture` context: locale and time
 * zone through `Intl`), and the release a build may inject as a global. Reads never throw.
 */
import type { HostFacts, OxeyeClient, Platform } from "./client.js";
import type { IncomingTrace } from "./trace.js";
import { readTraceMetaTags } from "./meta-tags.js";
import { userAgentContexts } from "./user-agent.js";

/** The `culture` context: locale and time zone from `Intl`, when the runtime has it. */
export function cultureFacts(): HostFacts {
  try {
    const o = Intl.DateTimeFormat().resolvedOptions();
    return { culture: { locale: o.locale, timezone: o.timeZone } };
  } catch {
    return {};
  }
}

/** A release set at build time: `SENTRY_RELEASE.id` (as bundler plugins inject it) or `__OXEYE_RELEASE__`. */
export function buildRelease(): string | undefined {
  try {
    const g = globalThis as { SENTRY_RELEASE?: { id?: unknown }; __OXEYE_RELEASE__?: unknown };
    const r = g.__OXEYE_RELEASE__ ?? g.SENTRY_RELEASE?.id;
    return typeof r === "string" && r ? r : undefined;
  } catch {
    /* undefined */
  }
}

/**
 * What a browser platform reads only for the engine (`Platform.hostFacts`, `buildRelease`,
 * and `incomingTrace`: the trace a server-rendered page hands over in its `sentry-trace`,
 * `traceparent` and `baggage` `<meta>` tags, unless the page's requests already carried
 * another), handed to it with the engine's module.
 */
export const browserFacts = {
  // (Called as the platform's method: `this` is the platform, which knows the extension.)
  hostFacts(this: Platform): HostFacts {
    const userAgent = globalThis.navigator?.userAgent;
    const locale = globalThis.navigator?.language;
    const { culture } = cultureFacts();
    const extension = !!this.extensionRoot;
    return {
      // The browser's language first, else `Intl`'s locale.
      culture: locale == null ? culture : { ...culture, locale },
      ...(typeof userAgent == "string" && userAgentContexts(userAgent)),
      userAgent,
      // (In a browser extension, none: a content script's is the visited site's. Its own
      // frames are the app's there.)
      hostname: extension ? undefined : globalThis.location?.hostname,
      extension: extension || undefined,
    };
  },
  buildRelease,
  // When the loader's requests already carried the page's trace (`early.trace`), the page
  // goes on in it: a `sentry-trace` tag the loader did not read (streamed in after its
  // first request) is not continued. (A `traceparent` tag alone, which the loader does not
  // read, is: an OpenTelemetry server's, whose trace its own instrumentation carries on.)
  incomingTrace(this: Platform, client: OxeyeClient): IncomingTrace | undefined {
    const incoming = readTraceMetaTags(globalThis.document);
    const sent = this.early?.trace?.[0].slice(0, 32);
    if (!sent || !incoming?.sentryTrace || incoming.sentryTrace.includes(sent)) return incoming;
    client.log(`the page's trace meta tags were read after its first requests had carried trace ${sent}, which the page goes on in`);
  },
};

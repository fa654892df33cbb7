/**
 * The part of the inbound filters only the host can run: `RegExp` entries of
 * `ignoreErrors`, `denyUrls` and `allowUrls` (plain strings are matched in the core).
 */
import type { SentryEvent } from "./types.js";

/** RegExp patterns of one client. */
export interface RegexFilters {
  ignoreErrors: RegExp[];
  denyUrls: RegExp[];
  allowUrls: RegExp[];
}

function messages(event: SentryEvent): string[] {
  const out: string[] = [];
  const log = event.logentry;
  if (typeof log?.formatted === "string") out.push(log.formatted);
  const ex = event.exception?.values?.at?.(-1);
  if (ex) {
    if (typeof ex.value === "string") out.push(ex.value);
    if (typeof ex.type === "string") out.push(ex.value ? `${ex.type}: ${ex.value}` : ex.type);
  }
  return out;
}

function eventUrl(event: SentryEvent): string | undefined {
  const frames: any[] = event.exception?.values?.at?.(-1)?.stacktrace?.frames ?? [];
  for (let i = frames.length - 1; i >= 0; i--) {
    if (frames[i]?.in_app !== false && typeof frames[i]?.filename === "string") return frames[i].filename;
  }
  for (let i = frames.length - 1; i >= 0; i--) if (typeof frames[i]?.filename === "string") return frames[i].filename;
  return undefined;
}

const test = (re: RegExp, s: string) => {
  re.lastIndex = 0;
  return re.test(s);
};

/** Why the event is filtered by a RegExp pattern, or undefined to keep it. */
export function regexFilterReason(event: SentryEvent, f: RegexFilters): string | undefined {
  if (f.ignoreErrors.length) {
    const msgs = messages(event);
    const hit = f.ignoreErrors.find((re) => msgs.some((m) => test(re, m)));
    if (hit) return `its message matches ignoreErrors ${hit}`;
  }
  const url = eventUrl(event);
  if (url === undefined) return undefined;
  const deny = f.denyUrls.find((re) => test(re, url));
  if (deny) return `its URL ${url} matches denyUrls ${deny}`;
  if (f.allowUrls.length && !f.allowUrls.some((re) => test(re, url))) return `its URL ${url} matches no allowUrls entry`;
  return undefined;
}

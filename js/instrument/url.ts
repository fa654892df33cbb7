/**
 * URLs of outgoing requests: which ones are the SDK's own, and how they are written into
 * breadcrumbs (credentials removed). Which ones get trace headers is `request-rules.ts`'s.
 */
import type { Pattern } from "../api/types.js";
import { cut } from "../api/normalize.js";

const MAX_URL = 2048;

function parse(raw: string, base?: string): URL | undefined {
  try {
    return new URL(raw, base || undefined);
  } catch {
    /* undefined */
  }
}

/**
 * The URL for a breadcrumb: absolute (resolved against `base`), without user name and
 * password, and without its fragment unless `keepHash`, cut at 2,048 characters (with a
 * word the cut would split: `cut`). Secret query values are the
 * core's to remove, with the rest of the event's scrubbing (and as `scrub` says).
 */
export function sanitizeUrl(raw: string, base?: string, keepHash?: boolean): string {
  const text = String(raw);
  const u = parse(text, base);
  if (!u || (u.protocol !== "http:" && u.protocol !== "https:")) {
    return cut(text.replace(/\/\/[^/@?#]*@/, "//"), u ? 200 : MAX_URL);
  }
  // (`origin` is `protocol//host` for http and https.)
  return cut(`${u.origin}${u.pathname}${u.search}${keepHash ? u.hash : ""}`, MAX_URL);
}

/** Same-origin URLs as path + query + fragment (as navigation breadcrumbs show them), others sanitised. */
export function relativeUrl(raw: string, base?: string): string {
  const u = parse(raw, base);
  // Without a base there is no origin to share: `new URL(undefined)` (and of "") throws,
  // so `parse` answers undefined.
  const b = parse(base!);
  const clean = sanitizeUrl(raw, base, true);
  if (u && b && u.origin === b.origin) {
    const c = parse(clean);
    return c ? `${c.pathname}${c.search}${c.hash}` : clean;
  }
  return clean;
}

/** Whether pattern `p` matches `s`: a non-empty string as a substring, a RegExp by `test` (from `lastIndex` 0). */
export function matches(p: Pattern, s: string): boolean {
  if (typeof p === "string") return p.length > 0 && s.includes(p);
  if (p instanceof RegExp) {
    p.lastIndex = 0;
    return p.test(s);
  }
  return false;
}

/** True for the SDK's own envelope requests (query-string auth, envelope endpoint, or the tunnel). */
export function isSdkUrl(raw: string, tunnel?: string): boolean {
  const s = String(raw);
  if (tunnel && s.startsWith(tunnel)) return true;
  return /[?&]sentry_key=|\/api\/\d+\/envelope\/?(\?|$)/.test(s);
}

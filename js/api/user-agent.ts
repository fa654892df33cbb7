/**
 * The `browser` and `os` contexts a browser's user agent gives: the browser's name and
 * version (Edge, Opera, Samsung Internet, Firefox, HeadlessChrome, Chrome, Safari) and the operating
 * system's (Windows, iOS, Android, macOS; Chrome OS and Linux without a version). The
 * engine hands them to the core with the other host facts, once per client.
 */
import type { HostFacts } from "./contract.js";

/** `token>name` pairs, `|`-separated, in the order they are tried. */
const BROWSERS = "Edg/>Edge|OPR/>Opera|SamsungBrowser/>Samsung Internet|Firefox/>Firefox|FxiOS/>Firefox|CriOS/>Chrome|HeadlessChrome/>HeadlessChrome|Chrome/>Chrome";
const SYSTEMS = "Windows NT >Windows|iPhone OS >iOS|CPU OS >iOS|Android >Android|Mac OS X >macOS";
/** Windows NT versions that have a marketing name. */
const WINDOWS: Record<string, string> = { "10.0": "10", "6.3": "8.1", "6.2": "8", "6.1": "7" };

/** The first pair of `table` whose token is in `ua` followed by a version (digits, dots, underscores). */
function firstVersion(ua: string, table: string): { name: string; version: string } | undefined {
  for (const pair of table.split("|")) {
    const [token, name] = pair.split(">");
    const at = ua.indexOf(token);
    const version = at < 0 ? "" : /[\d._]*/.exec(ua.slice(at + token.length))![0];
    if (version) return { name, version };
  }
}

/**
 * `browser` and `os` from a user agent (either left out when it names none; both for a
 * crawler's, which the server then names from the user agent, as Sentry's does: a bot is
 * not the Chrome its user agent also names).
 */
export function userAgentContexts(ua: string): HostFacts {
  if (/[a-z]bot[/-]|\bbot\b|crawl|spider/i.test(ua)) return {};
  const os = firstVersion(ua, SYSTEMS);
  if (os) {
    const v = os.version;
    os.version = os.name == "Windows" ? WINDOWS[v] ?? v : os.name == "Android" ? v : v.replace(/_/g, ".");
  }
  const other = ua.includes("CrOS") ? "Chrome OS" : ua.includes("Linux") ? "Linux" : "";
  return {
    browser: firstVersion(ua, BROWSERS + (ua.includes("Safari/") ? "|Version/>Safari" : "")),
    os: os ?? (other ? { name: other } : undefined),
  };
}

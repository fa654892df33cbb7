/**
 * The environment a host name suggests when nobody names one, by DNS labels, never by
 * substrings (`contest.example.org` is production):
 * - `development`: `localhost`, loopback, private and link-local addresses (IPv4 and
 *   IPv6), and names under the reserved `.localhost`, `.local` and `.test` domains;
 * - `staging`: a first label of exactly `staging`, `dev` or `test` (`staging.shop.com`);
 * - `preview`: the per-deployment hosts of the platforms that make them, told from the
 *   same platforms' production hosts: Cloudflare Pages' `<deployment>.<project>.pages.dev`
 *   (not `<project>.pages.dev`), Workers' version previews `<8 hex>-<worker>.<sub>.workers.dev`
 *   (not `<worker>.<sub>.workers.dev`), Vercel's `<project>-<hash>-<team>.vercel.app` and
 *   `<project>-git-<branch>-<team>.vercel.app` (not `<project>.vercel.app`);
 * - `production`: everything else.
 * `options.ts` uses the guess below the `environment` option and `SENTRY_ENVIRONMENT`.
 */

/** Unicode white space at either end (JavaScript's `trim` also takes U+FEFF and leaves U+0085). */
export const TRIM = /^[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** `development`, `staging`, `preview` or `production` for a host name. */
export function hostEnvironment(name: string): string {
  // Trimmed, without the root's dot, ASCII letters in lower case, an IPv6 address's brackets off.
  const h = name.replace(TRIM, "").replace(/\.+$/, "").replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/^\[+|\]+$/g, "");
  const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(h) && h.split(".").map(Number);
  if (v4 && v4.every((n) => n < 256)) {
    const [a, b] = v4;
    if (a == 127 || a == 10 || a == 0 || (a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168) || (a == 169 && b == 254)) return "development";
  } else if (h.includes(":")) {
    // Loopback, unique local (fc00::/7), link-local (fe80::/10): the first group of four
    // UTF-8 bytes.
    if (h == "::1" || h == "0:0:0:0:0:0:0:1" || /^(f[cd]([^:\x80-\uffff]{2}|[\x80-\u07ff])|fe[89ab][^:\x80-\uffff]):/.test(h)) return "development";
  } else if (/(^|\.)localhost$|\.(local|test)$/.test(h)) return "development";
  const labels = h.split(".");
  if (labels.length > 2 && /^(staging|dev|test)$/.test(labels[0])) return "staging";
  const n = labels.length;
  const platform = n > 2 && labels[n - 2] + "." + labels[n - 1];
  return (platform == "pages.dev" && n > 3) ||
    (platform == "workers.dev" && n > 3 && /^[\da-f]{8}-/.test(labels[0])) ||
    (platform == "vercel.app" && /-git-|-(?=[a-z]*\d)[\da-z]{9}-/.test(labels[0]))
    ? "preview"
    : "production";
}

// The environment a host name suggests (js/api/environment.ts), which the engine hands to
// the core when nobody names one. The cases are those the core's tests used when it made
// the guess itself; tests/pipeline.test.mjs checks the `hostname` option end to end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { hostEnvironment } = await import(`${dist}api/environment.js`);

test("environments by DNS labels, never by substrings", () => {
  const table = [
    ["localhost", "development"],
    ["LOCALHOST.", "development"],
    ["app.localhost", "development"],
    ["shop.local", "development"],
    ["shop.test", "development"],
    ["127.0.0.1", "development"],
    ["10.1.2.3", "development"],
    ["172.16.0.9", "development"],
    ["172.32.0.9", "production"],
    ["192.168.1.20", "development"],
    ["169.254.1.1", "development"],
    ["[::1]", "development"],
    ["fd12:3456::1", "development"],
    ["staging.shop.com", "staging"],
    ["dev.shop.com", "staging"],
    ["test.shop.com", "staging"],
    ["staging.com", "production"],
    ["my-app-git-feature.vercel.app", "preview"],
    ["shop-7x2kq9p4d-acme.vercel.app", "preview"],
    // A platform's production host is production: a project's or a Worker's own name.
    ["my-app.vercel.app", "production"],
    ["my-fantastic-app-acme.vercel.app", "production"],
    ["abc123.my-site.pages.dev", "preview"],
    ["feature-x.my-site.pages.dev", "preview"],
    ["my-site.pages.dev", "production"],
    ["1a2b3c4d-api.me.workers.dev", "preview"],
    ["api.me.workers.dev", "production"],
    ["vercel.app", "production"],
    ["contest.example.org", "production"],
    ["shop.latest-news.example", "production"],
    ["locale-shop.com", "production"],
    ["testing.example.com", "production"],
    ["devices.example.com", "production"],
    ["8.8.8.8", "production"],
    ["", "production"],
    ["shop.com", "production"],
  ];
  for (const [host, env] of table) assert.equal(hostEnvironment(host), env, host);
});

test("edges: Unicode white space trimmed as Rust's `trim`, ASCII case only, IPv6 groups by UTF-8 bytes", () => {
  assert.equal(hostEnvironment("\u0085 localhost\u3000"), "development", "U+0085 is white space");
  assert.equal(hostEnvironment("\ufefflocalhost"), "production", "U+FEFF is not");
  assert.equal(hostEnvironment("x.wor\u212aers.dev"), "production", "the Kelvin sign is not a k");
  assert.equal(hostEnvironment("FE80::1"), "development");
  assert.equal(hostEnvironment("fc\u00e9:1"), "development", "fc + a two-byte character is four bytes");
  assert.equal(hostEnvironment("fc::1"), "production", "fc is two bytes");
  assert.equal(hostEnvironment("300.1.1.1"), "production", "not an IPv4 address, not a private one");
  assert.equal(hostEnvironment("test.10.1.2"), "staging");
});

// The host's contexts as the shim writes them for the core: `browser` and `os` from a
// user agent (js/api/user-agent.ts), `culture` and the browser's host facts
// (js/api/host.ts). The cases are those the core's tests used when it read the user agent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { userAgentContexts } = await import(`${dist}api/user-agent.js`);
const { browserFacts, cultureFacts } = await import(`${dist}api/host.js`);

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.8078.73 Safari/537.36";
const SAFARI_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
const FIREFOX_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const EDGE = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

/** The contexts as the core receives them: JSON text, members left undefined left out. */
const sent = (facts) => JSON.parse(JSON.stringify(facts));

test("common user agents give their browser and os", () => {
  const ua = (s) => sent(userAgentContexts(s));
  assert.deepEqual(ua(CHROME_LINUX), { browser: { name: "Chrome", version: "156.0.8078.73" }, os: { name: "Linux" } });
  assert.deepEqual(ua(SAFARI_MAC), { browser: { name: "Safari", version: "18.1" }, os: { name: "macOS", version: "10.15.7" } });
  assert.deepEqual(ua(FIREFOX_WIN), { browser: { name: "Firefox", version: "133.0" }, os: { name: "Windows", version: "10" } });
  assert.deepEqual(ua(EDGE).browser, { name: "Edge", version: "131.0.2903.86" });
  assert.deepEqual(ua(IPHONE), { browser: { name: "Safari", version: "17.5" }, os: { name: "iOS", version: "17.5" } });
  assert.deepEqual(ua(ANDROID).os, { name: "Android", version: "14" });
  assert.deepEqual(ua("curl/8.0"), {}, "no browser, no os");
  assert.deepEqual(ua(""), {});
});

test("versions: Windows' marketing names, dots for iOS and macOS, a token without a version skipped", () => {
  const os = (s) => sent(userAgentContexts(s)).os;
  assert.deepEqual(os("(Windows NT 6.1)"), { name: "Windows", version: "7" });
  assert.deepEqual(os("(Windows NT 6.3)"), { name: "Windows", version: "8.1" });
  assert.deepEqual(os("(Windows NT 5.1_2)"), { name: "Windows", version: "5.1_2" }, "other versions as written");
  assert.deepEqual(os("(Android 4_4)"), { name: "Android", version: "4_4" });
  assert.deepEqual(os("(CPU OS 9_3_5 like Mac OS X)"), { name: "iOS", version: "9.3.5" });
  assert.deepEqual(os("(X11; CrOS x86_64 14541.0.0)"), { name: "Chrome OS" });
  assert.deepEqual(os("(Windows NT ; Linux)"), { name: "Linux" }, "a token without a version is no match");
  const browser = (s) => sent(userAgentContexts(s)).browser;
  assert.deepEqual(browser("Edg/ Chrome/1.2"), { name: "Chrome", version: "1.2" });
  assert.deepEqual(browser("HeadlessChrome/120.0.0.0 Safari/537.36"), { name: "HeadlessChrome", version: "120.0.0.0" }, "a headless browser is not the Chrome its users run");
  // A crawler: no contexts, the server names it from the user agent.
  for (const bot of [
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexSpider/3.0)",
  ])
    assert.deepEqual(sent(userAgentContexts(bot)), {}, bot);
  // A phone whose name holds "bot" is not one.
  assert.deepEqual(browser("Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"), { name: "Chrome", version: "120.0.0.0" });
  assert.equal(browser("Version/17.5 Mobile"), undefined, "Safari needs `Safari/`");
});

test("culture from Intl; the browser's facts with its language first", () => {
  const o = Intl.DateTimeFormat().resolvedOptions();
  assert.deepEqual(cultureFacts(), { culture: { locale: o.locale, timezone: o.timeZone } });
  const saved = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  try {
    Object.defineProperty(globalThis, "navigator", { value: { userAgent: CHROME_LINUX, language: "de-CH" }, configurable: true });
    assert.deepEqual(sent(browserFacts.hostFacts()), {
      culture: { locale: "de-CH", timezone: o.timeZone },
      browser: { name: "Chrome", version: "156.0.8078.73" },
      os: { name: "Linux" },
      userAgent: CHROME_LINUX,
    });
    Object.defineProperty(globalThis, "navigator", { value: { userAgent: 3 }, configurable: true });
    assert.deepEqual(sent(browserFacts.hostFacts()), { culture: { locale: o.locale, timezone: o.timeZone }, userAgent: 3 }, "a user agent that is not text gives no contexts");
  } finally {
    if (saved) Object.defineProperty(globalThis, "navigator", saved);
    else delete globalThis.navigator;
  }
});

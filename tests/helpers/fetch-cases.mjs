/**
 * Test helper shared by Node and Chromium: the ways an app calls `fetch` and XHR, each
 * with what the server must receive. Every call goes to `url` (a propagation target whose
 * server answers `{ method, body, headers }` as JSON), so each request also shows whether
 * oxeye added its headers. Runs unchanged in both (plain ESM, no Node APIs).
 */

/** [name, (url) => Promise<Response>, { method, body, headers? }] */
export const FETCH_CASES = [
  ["a URL string, no init", (url) => fetch(url), { method: "GET", body: "" }],
  ["a URL object and a plain init", (url) => fetch(new URL(url), { method: "POST", body: "plain" }), { method: "POST", body: "plain" }],
  [
    "init members inherited from a prototype (Object.create)",
    (url) => fetch(url, Object.create({ method: "POST", body: "inherited", headers: { "x-app": "proto" } })),
    { method: "POST", body: "inherited", headers: { "x-app": "proto" } },
  ],
  [
    "init members defined by getters",
    (url) => fetch(url, { get method() { return "PUT"; }, get body() { return "from a getter"; } }),
    { method: "PUT", body: "from a getter" },
  ],
  [
    "an init class reading private fields in its getters",
    (url) => {
      class Init {
        #body = "private";
        get method() { return "PATCH"; }
        get body() { return this.#body; }
        get headers() { return { "x-app": "class" }; }
      }
      return fetch(url, new Init());
    },
    { method: "PATCH", body: "private", headers: { "x-app": "class" } },
  ],
  [
    "a Request with a body and no init",
    (url) => fetch(new Request(url, { method: "POST", body: "in the request", headers: { "x-app": "request" } })),
    { method: "POST", body: "in the request", headers: { "x-app": "request" } },
  ],
  [
    "a Request overridden by init",
    (url) => fetch(new Request(url, { method: "POST", body: "old", headers: { "x-app": "old" } }), { method: "PUT", body: "new", headers: { "x-app": "new" } }),
    { method: "PUT", body: "new", headers: { "x-app": "new" } },
  ],
  [
    "headers as a Headers object and as pairs; the app's baggage kept",
    (url) => fetch(url, { method: "POST", body: "h", headers: [["x-app", "pairs"], ["baggage", "app=1"]] }),
    { method: "POST", body: "h", headers: { "x-app": "pairs" }, baggageStartsWith: "app=1," },
  ],
  [
    "URLSearchParams body keeps its content type",
    (url) => fetch(url, { method: "POST", body: new URLSearchParams({ a: "1", b: "2" }) }),
    { method: "POST", body: "a=1&b=2", headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" } },
  ],
  [
    "a Blob body keeps its type",
    (url) => fetch(url, { method: "POST", body: new Blob(["blob"], { type: "text/x-app" }) }),
    { method: "POST", body: "blob", headers: { "content-type": "text/x-app" } },
  ],
  [
    "a ReadableStream body (duplex: half)",
    (url) =>
      fetch(url, {
        method: "POST",
        body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed")); c.close(); } }),
        duplex: "half",
      }),
    // Chromium streams request bodies only over HTTP/2, so over this HTTP/1.1 server the
    // case is for Node alone.
    { method: "POST", body: "streamed", notInBrowsers: true },
  ],
  [
    "a Request's referrer policy is kept (no Referer)",
    (url) => fetch(new Request(url, { referrerPolicy: "no-referrer" })),
    { method: "GET", body: "", headers: { referer: undefined } },
  ],
  [
    "a Request made in another realm (an iframe's) keeps its headers",
    (url) => {
      const frame = document.body.appendChild(document.createElement("iframe"));
      const request = new frame.contentWindow.Request(url, { method: "POST", body: "foreign", headers: { "x-app": "foreign" } });
      return fetch(request).finally(() => frame.remove());
    },
    { method: "POST", body: "foreign", headers: { "x-app": "foreign" }, onlyInBrowsers: true },
  ],
  [
    "an app's own sentry-trace is kept",
    (url) => fetch(url, { headers: { "sentry-trace": "0123456789abcdef0123456789abcdef-0123456789abcdef-1" } }),
    { method: "GET", body: "", headers: { "sentry-trace": "0123456789abcdef0123456789abcdef-0123456789abcdef-1" } },
  ],
];

/**
 * Fetch wrappers apps install at start-up, before oxeye wraps fetch (so oxeye's wrapper
 * calls theirs): [name, wrapper (original, input, init) => Promise<Response>, the app's call, what the server must receive].
 */
export const WRAPPER_CASES = [
  [
    "a wrapper that spreads the caller's init and headers to add its own",
    (original, input, init) => original(input, { ...init, headers: { ...init?.headers, Authorization: "Bearer spread" } }),
    (url) => fetch(url, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } }),
    { method: "POST", body: "{}", headers: { "content-type": "application/json", authorization: "Bearer spread" } },
  ],
  [
    "a wrapper that adds its header only to string addresses",
    (original, input, init) => (typeof input === "string" ? original(input, { ...init, headers: { ...init?.headers, Authorization: "Bearer string" } }) : original(input, init)),
    (url) => fetch(url),
    { method: "GET", body: "", headers: { authorization: "Bearer string" } },
  ],
  [
    "a wrapper that sets its header on the Request it gets",
    (original, input, init) => {
      if (input instanceof Request) input.headers.set("authorization", "Bearer in place");
      return original(input, init);
    },
    (url) => fetch(new Request(url)),
    { method: "GET", body: "", headers: { authorization: "Bearer in place" } },
  ],
  [
    "a wrapper that reads the caller's headers through a Headers object",
    (original, input, init) => {
      const headers = new Headers(init?.headers);
      headers.set("x-wrapped", "1");
      return original(input, { ...init, headers });
    },
    (url) => fetch(url, { headers: new Headers({ "x-app": "headers" }) }),
    { method: "GET", body: "", headers: { "x-app": "headers", "x-wrapped": "1" } },
  ],
];

/**
 * Puts a switchable app wrapper around the global fetch (call it before oxeye wraps fetch);
 * `runFetchCases(url, use)` then runs WRAPPER_CASES through it. Returns `use(wrapper)`.
 */
export function installAppWrapper() {
  const original = globalThis.fetch;
  let current;
  globalThis.fetch = function appFetch(input, init) {
    return current ? current(original, input, init) : original(input, init);
  };
  return (wrapper) => (current = wrapper);
}

/**
 * Runs every case; returns one row per case: { name, ok, problems, got }. `ok` is true when
 * the server received exactly the app's request, plus oxeye's trace header. With `use`
 * (from `installAppWrapper`), the wrapper cases run too, each through its wrapper.
 */
export async function runFetchCases(url, use) {
  const rows = [];
  const browser = typeof document !== "undefined";
  const cases = use ? FETCH_CASES.concat(WRAPPER_CASES.map(([name, wrapper, call, want]) => [name, (u) => (use(wrapper), call(u).finally(() => use(undefined))), want])) : FETCH_CASES;
  for (const [name, call, want] of cases) {
    if (browser ? want.notInBrowsers : want.onlyInBrowsers) continue;
    const problems = [];
    let got;
    try {
      const res = await call(url);
      got = await res.json();
      if (got.method !== want.method) problems.push(`method ${got.method}, not ${want.method}`);
      if (got.body !== want.body) problems.push(`body ${JSON.stringify(got.body)}, not ${JSON.stringify(want.body)}`);
      for (const [k, v] of Object.entries(want.headers ?? {})) {
        if (got.headers[k] !== v) problems.push(`header ${k}: ${JSON.stringify(got.headers[k])}, not ${JSON.stringify(v)}`);
      }
      if (!/^[0-9a-f]{32}-[0-9a-f]{16}/.test(got.headers["sentry-trace"] ?? "")) problems.push("no sentry-trace: not instrumented");
      if (want.baggageStartsWith && !String(got.headers.baggage).startsWith(want.baggageStartsWith)) {
        problems.push(`baggage ${got.headers.baggage}`);
      }
    } catch (e) {
      problems.push(`threw ${e}`);
    }
    rows.push({ name, ok: problems.length === 0, problems, got });
  }
  return rows;
}

/** What `fn`, the patched version of `original`, shows of itself. */
export function shapeOf(fn) {
  return {
    name: fn.name,
    length: fn.length,
    proto: Object.getPrototypeOf(fn) === Function.prototype ? "Function.prototype" : "other",
    ownToString: Object.prototype.hasOwnProperty.call(fn, "toString"),
    marker: fn.oxeyeTestMarker,
    symbolMarker: fn[Symbol.for("oxeye.test")],
  };
}

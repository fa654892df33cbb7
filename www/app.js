// The demo page's script: initialises oxeye from /config.json and wires each button to a
// different kind of error. Errors thrown here carry frames pointing at this file.
import * as oxeye from "oxeye";

const config = await fetch("/config.json").then((r) => r.json());
const client = oxeye.init({
  dsn: config.dsn,
  release: "oxeye-demo@1.0.0",
  environment: "demo",
  debug: true,
  // The backend runs on another origin: let trace and request id headers go there too.
  ...(config.backend ? { tracePropagationTargets: [config.backend] } : {}),
});
window.oxeyeClient = client;

const log = (what, id) => {
  const li = document.createElement("li");
  li.textContent = `${what}${id ? ` → event ${id}` : ""}`;
  document.getElementById("log").append(li);
};
document.getElementById("receiver").href = config.bugsink ?? "#";

function readSettings(settings) {
  // A real bug: `settings.theme` is undefined, so `.toUpperCase` throws a TypeError.
  return settings.theme.toUpperCase();
}

function handledFailure() {
  try {
    JSON.parse("{not json");
  } catch (e) {
    return oxeye.captureException(e, { tags: { feature: "import" } });
  }
}

async function placeOrder() {
  // The backend (Python, sentry-sdk) fails on this route and reports its own error; this
  // page reports the failure by throwing, uncaught. Both events name the same trace and
  // request id.
  const res = await fetch(`${config.backend}/api/fail`);
  const body = await res.json();
  log(`backend answered HTTP ${res.status}, request ${res.headers.get("X-Request-ID")}, trace ${oxeye.getTraceData()["sentry-trace"]?.split("-")[0]}`);
  if (!res.ok) throw new Error(`Order could not be placed: HTTP ${res.status} (${body.error.replace(/ \(request .*\)$/, "")})`);
}

const actions = {
  "uncaught-type-error": () => {
    log("uncaught TypeError");
    setTimeout(() => readSettings({}), 0);
  },
  "handled-error": () => log("captureException", handledFailure()),
  "unhandled-rejection": () => {
    log("unhandled rejection");
    Promise.reject(new RangeError("quota must be positive"));
  },
  "throw-string": () => {
    log("throw a string");
    setTimeout(() => {
      throw "a plain string was thrown";
    }, 0);
  },
  "throw-object": () => log("throw an object", oxeye.captureException({ code: 42, reason: "not an Error" })),
  "capture-message": () => log("captureMessage", oxeye.captureMessage("Demo checkout finished", "info")),
  "backend-error": () => {
    log("call the backend's failing route");
    void placeOrder();
  },
};

for (const [id, act] of Object.entries(actions)) document.getElementById(id).addEventListener("click", act);
window.oxeyeDemoReady = true;

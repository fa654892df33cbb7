// oxeye/react: init plus an ErrorBoundary around the app (react itself is external).
import { init } from "oxeye";
import { ErrorBoundary } from "oxeye/react";
import { createElement } from "react";
import { createRoot } from "react-dom/client";

init({ dsn: "https://public@o1.ingest.sentry.io/1" });
const App = () => createElement("p", null, "app");
createRoot(document.body).render(createElement(ErrorBoundary, { fallback: createElement("p", null, "error") }, createElement(App)));

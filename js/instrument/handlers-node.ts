/**
 * Node global handlers (opt-in with `globalHandlers: true`): `uncaughtException` and
 * `unhandledRejection`. Node's own behaviour is kept: when oxeye is the only listener it
 * prints the error and exits with code 1, after giving the event up to two seconds to
 * be delivered (the request being served, if any, is counted as a crashed session).
 */
import type { OxeyeClient } from "../api/client.js";
import { endServedRequest } from "../api/sessions.js";

const EXIT_FLUSH_MS = 2000;

/** Installs the handlers; returns the function that removes them. */
export function installNodeHandlers(client: OxeyeClient): () => void {
  const proc = globalThis.process;
  if (!proc || typeof proc.on !== "function") return () => {};
  const handle = (event: "uncaughtException" | "unhandledRejection", type: string) => (reason: unknown) => {
    try {
      client.captureException(reason, { mechanism: { type, handled: false }, level: "fatal" });
    } catch {
      /* capture never throws, but stay safe */
    }
    if (proc.listenerCount(event) <= 1) {
      console.error(reason);
      // The request being served, if any, ends here: it is counted as crashed.
      endServedRequest(client, client.getIsolationScope(), "crashed");
      void client
        .flush(EXIT_FLUSH_MS)
        .then((sent) => sent || client.log(`the error was not delivered within ${EXIT_FLUSH_MS} ms; the process exits without it`))
        .finally(() => proc.exit(1));
    }
  };
  const onException = handle("uncaughtException", "auto.node.onuncaughtexception");
  const onRejection = handle("unhandledRejection", "auto.node.onunhandledrejection");
  proc.on("uncaughtException", onException);
  proc.on("unhandledRejection", onRejection);
  return () => {
    proc.off("uncaughtException", onException);
    proc.off("unhandledRejection", onRejection);
  };
}

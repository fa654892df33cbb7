/**
 * Node global handlers (opt-in with `globalHandlers: true`): `uncaughtException` and
 * `unhandledRejection`. Node's own behaviour is kept:
 * - the app's own listeners decide what happens next, as without oxeye: its
 *   `unhandledRejection` listeners for a rejection, or, when it has none, its
 *   `uncaughtException` listeners, to which Node hands an unhandled rejection (oxeye
 *   passes it on to them);
 * - with `--unhandled-rejections=warn` (or `none`, `warn-with-error-code`, which sets the
 *   exit code 1) a rejection does not end the process;
 * - otherwise, after giving the event up to two seconds to be delivered (the request being
 *   served, if any, is counted as a crashed session), the main thread prints the error and
 *   exits with code 1, and a worker thread throws it again, so that it ends as Node ends
 *   it and the parent's `Worker` gets its `error` event.
 */
import type { OxeyeClient } from "../api/client.js";
import { endServedRequest } from "../api/sessions.js";
import { uncaught } from "../api/thrown.js";
import { consoleWarn } from "../api/loader-util.js";

const EXIT_FLUSH_MS = 2000;

type Proc = NodeJS.Process & { getBuiltinModule?: (id: string) => { isMainThread?: boolean } | undefined };

/** Installs the handlers; returns the function that removes them. */
export function installNodeHandlers(client: OxeyeClient): () => void {
  const proc = globalThis.process as Proc;
  if (!proc || typeof proc.on !== "function") return () => {};
  // A rejection is being handed to the app's `uncaughtException` listeners (captured already).
  let passing = false;
  // The process is already on its way out (`--unhandled-rejections=strict` raises both events).
  let ending = false;
  const others = (event: string) => proc.listenerCount(event) - 1;
  const end = (reason: unknown) => {
    if (ending) return;
    ending = true;
    // The request being served, if any, ends here: it is counted as crashed.
    endServedRequest(client, client.getIsolationScope(), "crashed");
    let inWorker = false;
    try {
      inWorker = proc.getBuiltinModule?.("node:worker_threads")?.isMainThread === false;
    } catch {
      /* the main thread */
    }
    if (!inWorker) console.error(reason);
    // Flushed with the handlers still in place (a second error meanwhile is captured, and
    // `ending` keeps it from ending the process twice), then marked closed: the process
    // ends here by oxeye's doing, not by an app's `process.exit()`, which the exit check
    // would otherwise warn about. (A client that sends nothing said so already.)
    void client
      .flush(EXIT_FLUSH_MS)
      .then((sent) => sent || client.disabledReason || consoleWarn(`[oxeye] the error that ends the process was not delivered within ${EXIT_FLUSH_MS} ms; the process exits without it`))
      .finally(() => {
        client.closed = true;
        if (!inWorker) return proc.exit(1);
        remove();
        setImmediate(() => {
          throw reason;
        });
      });
  };
  const capture = (reason: unknown, type: string) => {
    try {
      client.captureException(reason, { mechanism: { type, handled: false }, level: "fatal" });
    } catch {
      /* capture never throws, but stay safe */
    }
  };
  const onException = (reason: unknown) => {
    if (passing) return;
    capture(uncaught(reason), "auto.node.onuncaughtexception");
    if (!others("uncaughtException")) end(reason);
  };
  const onRejection = (reason: unknown) => {
    capture(reason, "auto.node.onunhandledrejection");
    if (others("unhandledRejection")) return;
    const mode = /--unhandled-rejections[= ](\S+)/.exec([...proc.execArgv, proc.env.NODE_OPTIONS ?? ""].join(" "))?.[1];
    // (With a listener, Node sets no exit code for this mode itself.)
    if (mode === "warn-with-error-code") proc.exitCode = 1;
    if (mode === "warn" || mode === "none" || mode === "warn-with-error-code") return;
    if (others("uncaughtException")) {
      passing = true;
      try {
        (proc.emit as (event: string, ...args: unknown[]) => boolean)("uncaughtException", reason, "unhandledRejection");
      } finally {
        passing = false;
      }
      return;
    }
    end(reason);
  };
  const remove = () => {
    proc.off("uncaughtException", onException);
    proc.off("unhandledRejection", onRejection);
  };
  proc.on("uncaughtException", onException);
  proc.on("unhandledRejection", onRejection);
  return remove;
}

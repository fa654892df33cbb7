/**
 * Capture hooks: functions the instrumentation and the server integrations have a client
 * run on every capture (`CaptureHook`: the capture's input and hint, before the event is
 * queued or handed to the engine). The client keeps them in `captureHooks`, in order.
 */
import type { CaptureHook, OxeyeClient } from "./client.js";

/** Adds a hook run on every capture of `client`; returns its removal. */
export function addCaptureHook(client: OxeyeClient, hook: CaptureHook): () => void {
  const hooks = client.captureHooks;
  hooks.push(hook);
  return () => {
    const i = hooks.indexOf(hook);
    if (i >= 0) hooks.splice(i, 1);
  };
}

/**
 * The stack of the app's capture call, for a thrown value that carries none of its own (a
 * string, a plain object): taken raw in `captureException` (client.ts), then cut here, in
 * the lazily loaded engine, below the last of oxeye's own capture frames near the top, so
 * the event's frames start at the app's call, as Sentry's SDKs send a synthetic
 * exception's frames.
 */

/** A frame of oxeye's own capture functions (`captureException`, `captureMessage`, `captureEvent`). */
const CAPTURE_FRAME = /\bcapture(?:Exception|Message|Event)\b/;
/** Longest stack text kept (as for an error's own stack). */
const MAX_STACK = 64 * 1024;

/** `stack` (an `Error().stack` taken inside oxeye) without the frames above the app's call. */
export function captureSite(stack: string): string {
  const lines = stack.split("\n");
  // A first line that is not a frame (V8's `at …`, or Gecko's and JSC's `…@…`) is the header.
  const header = lines.length && !(/^\s*at\s/.test(lines[0]) || lines[0].includes("@")) ? 1 : 0;
  let cut = header;
  for (let i = header; i < Math.min(lines.length, header + 12); i++) if (CAPTURE_FRAME.test(lines[i])) cut = i + 1;
  return [...lines.slice(0, header), ...lines.slice(cut)].join("\n").slice(0, MAX_STACK);
}

/**
 * Reading an envelope's header line in the tunnel (for its `dsn`), where a JSON parser
 * comes free. Envelopes are built by the core; nothing here builds or rewrites one.
 */

const dec = new TextDecoder();

function lineEnd(body: Uint8Array, from: number, limit = body.length): number {
  const i = body.subarray(from, limit).indexOf(10);
  return i < 0 ? limit : from + i;
}

function jsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(dec.decode(bytes));
    return v && typeof v === "object" && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The envelope's header object, or undefined when its first line is not a JSON object. */
export function envelopeHeader(body: Uint8Array): Record<string, unknown> | undefined {
  return jsonObject(body.subarray(0, lineEnd(body, 0)));
}

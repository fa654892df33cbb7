/**
 * Parses envelope bytes into headers and items (honouring item `length`), so the test
 * servers and the tests can look at exactly what oxeye sent.
 */

/** Parses an envelope (Uint8Array or string) → `{ headers, items: [{ headers, payload, json }] }`. */
export function parseEnvelope(bytes) {
  const buf = typeof bytes === "string" ? new TextEncoder().encode(bytes) : new Uint8Array(bytes);
  const dec = new TextDecoder();
  let pos = 0;
  const line = () => {
    let end = buf.indexOf(10, pos);
    if (end < 0) end = buf.length;
    const text = dec.decode(buf.subarray(pos, end));
    pos = end + 1;
    return text;
  };
  const headers = JSON.parse(line());
  const items = [];
  while (pos < buf.length) {
    const h = line();
    if (!h) continue;
    const ih = JSON.parse(h);
    let payload;
    if (typeof ih.length === "number") {
      payload = buf.subarray(pos, pos + ih.length);
      if (payload.length !== ih.length) throw new Error(`item shorter than its length ${ih.length}`);
      pos += ih.length;
      if (pos < buf.length && buf[pos] !== 10) throw new Error("item payload not followed by a newline");
      pos += 1;
    } else {
      payload = new TextEncoder().encode(line());
    }
    const text = dec.decode(payload);
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    items.push({ headers: ih, payload, json });
  }
  return { headers, items };
}

/** The event payloads in a list of envelopes. */
export function eventsOf(envelopes) {
  return envelopes.flatMap((e) => parseEnvelope(e).items.filter((i) => i.headers.type === "event").map((i) => i.json));
}

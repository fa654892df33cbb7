// The core's memory after hostile input. A wasm memory never shrinks, so what must hold
// is that it cannot grow with the size of what the app hands in: the normaliser bounds
// everything that crosses into the core (about 1 MiB of JSON per event, 256 KiB per value,
// 16 KiB per string, 64 KiB per stack; typed arrays are summarised), so rounds of 5 MB
// and of 50 MB inputs grow it by a bounded amount (under 16 MiB); repeated rounds add no
// more than the breadcrumbs they leave hold, and normal captures afterwards reuse what is
// there.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as oxeye from "../dist/entrypoints/node.js";

const glue = await import("../dist/core/core.js");
/** The core's memory in bytes (the node entry's instance: initSync returns its exports). */
const memory = () => glue.initSync({ module: new Uint8Array(0) }).memory.buffer.byteLength;
const MiB = 1 << 20;

test("huge inputs grow the core's memory by a bounded amount, once; later captures reuse it", async () => {
  let sent = 0;
  const client = oxeye.init({
    dsn: "http://public@127.0.0.1:9/1",
    transport: async () => {
      sent++;
      return { status: 200, headers: {} };
    },
    transportOptions: { bufferSize: 1000 },
    dedupe: false,
  });
  await client.ready;
  const normal = async (n) => {
    for (let i = 0; i < n; i++) client.captureException(new Error(`normal ${i}`), { tags: { i } });
    assert.equal(await client.flush(5000), true);
  };
  const hostile = async (bytes) => {
    const text = "x".repeat(bytes);
    client.setExtra("text", text);
    client.setExtra("buffer", Buffer.alloc(bytes));
    client.setContext("wide", Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, text.slice(0, bytes / 1000)])));
    client.captureException(new Error(text));
    client.captureMessage(text);
    client.captureEvent({ message: "event", extra: { list: Array.from({ length: 10_000 }, () => text.slice(0, bytes / 10_000)) } });
    client.addBreadcrumb({ message: text, data: { text } });
    assert.equal(await client.flush(10_000), true);
  };
  await normal(200);
  const start = memory();
  await hostile(5_000_000);
  const afterSmall = memory();
  await hostile(50_000_000);
  const afterLarge = memory();
  // Once grown to what bounded inputs need, more of them (of any size) reuse it.
  await hostile(50_000_000);
  await hostile(5_000_000);
  const afterRepeats = memory();
  await normal(1000);
  const afterNormal = memory();
  const mib = (b) => (b / MiB).toFixed(2);
  assert.ok(sent >= 1200, `${sent} envelopes`);
  assert.ok(afterSmall - start <= 16 * MiB, `5 MB inputs grew the core's memory by ${mib(afterSmall - start)} MiB`);
  assert.ok(afterLarge - start <= 16 * MiB, `50 MB inputs grew it by ${mib(afterLarge - start)} MiB in all`);
  // What a round leaves is one breadcrumb (its 16 KiB message and data), kept among the
  // scope's 100: repeated rounds grow the memory by no more than those hold.
  assert.ok(afterRepeats - afterLarge <= 4 * MiB, `repeated hostile rounds grew it from ${mib(afterLarge)} to ${mib(afterRepeats)} MiB`);
  assert.equal(afterNormal, afterRepeats, "normal captures afterwards reuse the memory");
  await client.close(1000);
});

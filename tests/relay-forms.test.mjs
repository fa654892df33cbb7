// Values Sentry's server would drop, sent in forms it keeps: a tag key or value holding a
// line feed (Relay drops the tag), a breadcrumb `message`, `category` or `type` that is
// not a string (Relay drops the member). Events go through oxeye (Node entry, the real
// wasm core, a capturing transport), then through sentry-relay's normaliser, which must
// report no errors and keep what was set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "../dist/entrypoints/node.js";
import { captureTransport } from "./helpers/capture-transport.mjs";
import { normalizeEvents } from "../scripts/lib/relay.mjs";

test("a tag with a line feed and breadcrumbs with non-string texts reach Sentry whole", async () => {
  const cap = captureTransport();
  const client = createClient({ dsn: "http://pubkey@127.0.0.1:9/42", transport: cap.transport });
  await client.ready;
  client.setTag("query\nplan", "SELECT 1\nFROM accounts");
  client.addBreadcrumb({ message: 42, category: 7 });
  client.addBreadcrumb({ message: { step: "checkout", items: 3 }, type: false });
  client.addBreadcrumb({ message: "plain", category: "ui.click" });
  client.captureMessage("with awkward scope data");
  assert.equal(await client.flush(5000), true);
  await client.close(1000);
  const [sent] = cap.events();
  assert.ok(sent, "the event was sent");
  assert.equal(sent.tags["query plan"], "SELECT 1 FROM accounts");
  assert.deepEqual(
    sent.breadcrumbs.values.map((b) => [b.message, b.category, b.type]),
    [["42", "7", undefined], ['{"step":"checkout","items":3}', undefined, "false"], ["plain", "ui.click", undefined]],
  );
  const [{ errors, event }] = await normalizeEvents([sent]);
  assert.deepEqual(errors, [], "Sentry's normaliser finds nothing to drop");
  assert.deepEqual(event.tags, [["query-plan", "SELECT 1 FROM accounts"]], "kept (Relay writes a key's spaces as dashes)");
  assert.deepEqual(event.breadcrumbs.values.map((b) => b.message), ["42", '{"step":"checkout","items":3}', "plain"]);
});

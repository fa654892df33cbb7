// Next.js with create-next-app's defaults (`cacheComponents: true`, `partialPrefetching:
// true`): the fixture app, with the segment configs cacheComponents forbids left out (edge
// routes, `dynamic`) and its dynamic page behind <Suspense>, builds with no prerender
// errors from oxeye, and each failing request is reported once, continuing the caller's
// trace and carrying its request id.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildNextApp, prepareNextApp, startNextApp } from "../scripts/lib/next-app.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";

let cap, app, next, built;

before(async () => {
  [cap, app] = await Promise.all([startCaptureServer(), prepareNextApp()]);
  const d = app.dir;
  // create-next-app 16.4's next.config, less its Tailwind rules.
  writeFileSync(join(d, "next.config.mjs"), "export default { cacheComponents: true, partialPrefetching: true };\n");
  for (const r of ["edge-fail", "edge-throw", "edge-who", "who"]) rmSync(join(d, "app", "api", r), { recursive: true });
  writeFileSync(
    join(d, "app", "api", "fail", "route.ts"),
    `import { connection } from "next/server";
export async function GET(): Promise<Response> {
  await connection();
  throw new SyntaxError("stock feed returned garbage");
}
`,
  );
  writeFileSync(
    join(d, "app", "server-error", "page.tsx"),
    `import { Suspense } from "react";
import { connection } from "next/server";
async function Invoice() {
  await connection();
  const lines: number[] = [];
  if (lines.length === 0) throw new RangeError("invoice inv-7 has no lines");
  return <p>{lines.length}</p>;
}
export default function Page() {
  return <Suspense fallback={<p>loading</p>}><Invoice /></Suspense>;
}
`,
  );
  const env = { NEXT_PUBLIC_SENTRY_DSN: cap.dsn };
  built = await buildNextApp(d, env);
  next = await startNextApp(d, env);
});

after(async () => {
  await next?.stop();
  app?.remove();
  await cap?.close();
});

test("cacheComponents: the build has no prerender errors, and each failing request is reported once with its trace and request id", async () => {
  assert.doesNotMatch(built.log, /Date\.now|prerender-error|oxeye/i, built.log);
  const trace = "0af7651916cd43dd8448eb211c80319c";
  for (const path of ["/server-error", "/api/fail"]) {
    const res = await fetch(next.url + path, { headers: { "x-request-id": `rid${path}`, "sentry-trace": `${trace}-b7ad6b7169203331-1` } });
    await res.arrayBuffer();
  }
  const until = Date.now() + 15_000;
  const ready = () => ["rid/server-error", "rid/api/fail"].every((r) => cap.events().some((e) => e.tags?.request_id === r));
  while (!ready() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  const events = cap.events();
  for (const [rid, value] of [["rid/server-error", "invoice inv-7 has no lines"], ["rid/api/fail", "stock feed returned garbage"]]) {
    const mine = events.filter((e) => e.tags?.request_id === rid);
    assert.equal(mine.length, 1, `one report for ${rid}`);
    assert.equal(mine[0].exception.values.at(-1).value, value);
    assert.equal(mine[0].contexts.trace.trace_id, trace);
  }
  assert.doesNotMatch(next.output(), /Date\.now|\[oxeye\]/, next.output());
});

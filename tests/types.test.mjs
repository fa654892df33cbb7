// The package's types as TypeScript users resolve them: every entry (`oxeye` and its
// subpaths) type-checks under each `moduleResolution` an app may have: `bundler`,
// `node16` (ES module), `nodenext` (CommonJS) and the legacy `node` (node10, which reads
// `typesVersions` instead of the exports map); with the strictest flags apps turn on
// (`exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`, `verbatimModuleSyntax`) and
// the package's own declarations checked too (`skipLibCheck: false`). Options and user
// fields read from the environment (`string | undefined`) are accepted, as in the docs;
// Workers handlers take the context of older Workers types and of Pages Functions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/** An app with the package as it ships (package.json and dist/) and the type packages it needs (`@types/node`, `@types/react`). */
function makeApp(type) {
  const dir = mkdtempSync(join(tmpdir(), "oxeye-types-"));
  const target = join(dir, "node_modules", "oxeye");
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, "package.json"), readFileSync(join(root, "package.json")));
  cpSync(join(root, "dist"), join(target, "dist"), { recursive: true });
  symlinkSync(join(root, "node_modules", "@types"), join(dir, "node_modules", "@types"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, ...(type ? { type } : {}) }));
  return dir;
}

// Imports of every entry, and the calls the docs show with values that may be undefined.
const APP = `import * as oxeye from "oxeye";
import type { Options } from "oxeye";
import { ErrorBoundary } from "oxeye/react";
import { captureRequestError } from "oxeye/nextjs";
import { useCaptureError } from "oxeye/nextjs/client";
import { withOxeye, type OxeyeContext } from "oxeye/cloudflare";
import { createTunnelHandler } from "oxeye/tunnel";

const options: Options = { dsn: process.env["SENTRY_DSN"], environment: process.env["APP_ENV"], release: process.env["RELEASE"] };
oxeye.init(options);
const email: string | undefined = process.env["USER_EMAIL"];
oxeye.setUser({ id: "42", email });
oxeye.addBreadcrumb({ message: undefined, category: "ui" });
export const used = [ErrorBoundary, captureRequestError, useCaptureError, createTunnelHandler];
export const worker = withOxeye((env: { SENTRY_DSN?: string }) => ({ dsn: env.SENTRY_DSN }), {
  async fetch(_request: Request, _env: unknown, ctx: OxeyeContext) {
    ctx.passThroughOnException();
    return new Response(ctx.oxeye.captureMessage("ok"));
  },
});
// A lone fetch function: its parameters are typed by withOxeye.
export const lone = withOxeye((env: { SENTRY_DSN?: string }) => ({ dsn: env.SENTRY_DSN }), async (request, env, ctx) => {
  ctx.oxeye.captureMessage(request.url + (env.SENTRY_DSN ?? ""));
  return new Response("ok");
});
// Node's header values (string | string[] | undefined), as continueTrace's docs pass them.
const header: string | string[] | undefined = process.env["TRACE"];
const incoming: oxeye.IncomingTrace = { sentryTrace: header, baggage: header };
// Sentry's recipe for click breadcrumbs reads the hint's DOM event without a cast.
oxeye.init({ beforeBreadcrumb: (crumb, hint) => (hint?.event?.target?.ariaLabel ? { ...crumb, message: String(hint.event.target.ariaLabel) } : crumb) });
oxeye.continueTrace(incoming, () => 1);
export const tunnel = createTunnelHandler({ allowedDsns: [], trustProxy: process.env["HOPS"] ? Number(process.env["HOPS"]) : undefined });
export const transportOptions: oxeye.FetchTransportOptions = { fetch: undefined };
// Trace data is string-valued: a Headers init.
export const headers = new Headers(oxeye.getTraceData());
// Events are typed: a field that may be missing must be checked.
oxeye.init({
  dsn: undefined,
  beforeSend(event) {
    // @ts-expect-error: an event may have no breadcrumbs
    event.breadcrumbs.filter((b) => b.category === "console");
    const type: string | undefined = event.exception?.values?.[0]?.type;
    return type === "ChunkLoadError" || event.message?.includes("ResizeObserver") ? null : event;
  },
});
// A client's options are read-only: turning it off is \`close\`, not a setting changed later.
const client = oxeye.getClient();
// @ts-expect-error: options cannot be changed after init
if (client) client.options.enabled = false;
export const closing = oxeye.close({ discard: true });
// Close options read from settings that may be undefined.
const withdrawn: boolean | undefined = process.env["WITHDRAWN"] ? true : undefined;
export const closingMaybe = oxeye.close({ discard: withdrawn, timeoutMs: undefined });
// The runtime's context as Workers types before \`props\` (2024) have it, and a Pages
// Function's context: both are what a wrapped handler takes.
interface OldExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}
declare const oldCtx: OldExecutionContext;
export const oldTyped = withOxeye((env: { SENTRY_DSN?: string }) => ({ dsn: env.SENTRY_DSN }), {
  async fetch(_request: Request, _env: unknown, ctx: OxeyeContext<OldExecutionContext>) {
    ctx.waitUntil(Promise.resolve());
    return new Response(ctx.oxeye.captureMessage("old"));
  },
});
export const called = oldTyped.fetch(new Request("http://x/"), {}, oldCtx);
interface PagesContext {
  request: Request;
  env: { SENTRY_DSN?: string };
  data: Record<string, unknown>;
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  next(): Promise<Response>;
}
export const onRequest = (context: PagesContext) => lone(context.request, context.env, context);
`;

const STRICT = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  noEmit: true,
  target: "ES2022",
  lib: ["ES2022", "DOM"],
  types: ["node", "react"],
};

const SETTINGS = [
  { name: "bundler", type: "module", file: "app.ts", options: { module: "esnext", moduleResolution: "bundler", verbatimModuleSyntax: true } },
  // (Node's resolutions get the Node entry's types, with its Express and Fastify helpers.)
  { name: "node16 (ES module)", type: "module", file: "app.ts", node: true, options: { module: "node16", moduleResolution: "node16", verbatimModuleSyntax: true } },
  { name: "nodenext (CommonJS)", type: undefined, file: "app.cts", node: true, options: { module: "nodenext", moduleResolution: "nodenext" } },
  { name: "node10", type: undefined, file: "app.ts", node: true, options: { module: "commonjs", moduleResolution: "node10", ignoreDeprecations: "5.0" } },
];

for (const s of SETTINGS) {
  test(`types: every entry type-checks under moduleResolution ${s.name}, strictest flags, skipLibCheck off`, () => {
    const dir = makeApp(s.type);
    try {
      // (A bundler's resolution gets the browser entry's types, without Node's helpers.)
      const tail = s.node
        ? 'export const express = oxeye.setupExpressErrorHandler;\nimport { nodeListener } from "oxeye/tunnel";\nexport const listener = nodeListener;\n'
        : "// @ts-expect-error: the browser's types have no Node helpers\nexport const express = oxeye.setupExpressErrorHandler;\n";
      writeFileSync(join(dir, s.file), APP + tail);
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...STRICT, ...s.options }, files: [s.file] }));
      const r = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8", timeout: 120_000 });
      assert.equal(r.status, 0, `tsc (${s.name}):\n${r.stdout}\n${r.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("types: an editor shows the documentation of every API function, from every entry", async () => {
  const ts = (await import("typescript")).default;
  const dir = makeApp("module");
  try {
    const api = ["init", "captureException", "captureMessage", "captureEvent", "flush", "close", "setTag", "setUser", "addBreadcrumb", "withScope", "getTraceData", "continueTrace"];
    const file = join(dir, "app.ts");
    // The browser's entry, Node's (as a server compiled for Node resolves it) and the Workers entry's.
    const entries = [
      ["browser", "oxeye", api, undefined],
      ["node", "oxeye", [...api, "setupExpressErrorHandler"], ["node"]],
      ["cloudflare", "oxeye/cloudflare", ["createClient", "withOxeye", "getTraceData"], undefined],
    ];
    for (const [label, spec, names, customConditions] of entries) {
      const text = names.map((n) => `import { ${n} as ${label}_${n} } from "${spec}";`).join("\n") + "\n" + names.map((n) => `${label}_${n};`).join("\n") + "\n";
      writeFileSync(file, text);
      const options = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, strict: true, types: [], customConditions };
      const host = {
        getScriptFileNames: () => [file],
        getScriptVersion: () => label,
        getScriptSnapshot: (f) => (ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)) : undefined),
        getCurrentDirectory: () => dir,
        getCompilationSettings: () => options,
        getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
        fileExists: ts.sys.fileExists,
        readFile: ts.sys.readFile,
        directoryExists: ts.sys.directoryExists,
        getDirectories: ts.sys.getDirectories,
      };
      const ls = ts.createLanguageService(host);
      const missing = names.filter((n) => {
        const at = text.lastIndexOf(`${label}_${n};`);
        return !ts.displayPartsToString(ls.getQuickInfoAtPosition(file, at)?.documentation ?? []).trim();
      });
      assert.deepEqual(ls.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ")), [], `${label}: the app compiles`);
      assert.deepEqual(missing, [], `${label}: functions without documentation on hover`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

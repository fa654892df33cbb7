/**
 * Gives the API functions' declarations in the declaration files under `dist/` the
 * documentation of the `Api` interface (`js/api/api.ts`), so that an editor shows it on
 * `captureException`, `setTag`… Each entry makes its functions from one runtime's default
 * client (`export const { … } = api`, or one constant each), and TypeScript writes those
 * declarations without the interface's comments. Each exported constant named like an
 * `Api` member, and not documented already, becomes a declaration of its own with that
 * member's comment.
 * Usage: node scripts/lib/doc-exports.mjs <dist>
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const dist = process.argv[2] ?? "dist";

/** The `Api` members' JSDoc, by name, as written in `api.d.ts`. */
function apiDocs() {
  const file = join(dist, "api", "api.d.ts");
  const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const docs = new Map();
  const visit = (node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === "Api") {
      for (const m of node.members) {
        const ranges = ts.getLeadingCommentRanges(src.text, m.pos) ?? [];
        const doc = ranges.map((r) => src.text.slice(r.pos, r.end)).filter((c) => c.startsWith("/**")).at(-1);
        if (doc && m.name) docs.set(m.name.getText(src), doc.replace(/\n\s*/g, "\n "));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  if (!docs.size) throw new Error(`no documented Api interface in ${file}`);
  return docs;
}

/** `text` with each exported constant named like an `Api` member declared on its own, with its comment. */
export function documented(text, docs, name = "x.d.ts") {
  const src = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  let out = "";
  let at = 0;
  for (const st of src.statements) {
    if (!ts.isVariableStatement(st) || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const decls = st.declarationList.declarations;
    if (!decls.some((d) => ts.isIdentifier(d.name) && docs.has(d.name.text))) continue;
    if ((ts.getLeadingCommentRanges(text, st.pos) ?? []).some((r) => text.startsWith("/**", r.pos))) continue;
    out += text.slice(at, st.getStart(src));
    out += decls.map((d) => `${(ts.isIdentifier(d.name) && docs.get(d.name.text)) || ""}${docs.has(d.name.getText(src)) ? "\n" : ""}export declare const ${d.getText(src)};`).join("\n");
    at = st.end;
  }
  return out + text.slice(at);
}

function* dtsFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* dtsFiles(p);
    else if (e.name.endsWith(".d.ts")) yield p;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const docs = apiDocs();
  let n = 0;
  for (const f of dtsFiles(dist)) {
    const before = readFileSync(f, "utf8");
    const after = documented(before, docs, f);
    if (after !== before) {
      writeFileSync(f, after);
      n++;
    }
  }
  console.log(`build: the API's documentation written into ${n} declaration file(s)`);
}

#!/usr/bin/env node
// Checks the committed boundary declaration (js/core/core.d.ts) against the one
// wasm-bindgen generated (pkg/oxeye.d.ts by default, or the path given): every exported
// enum (members and values), class (members and signatures) and the init functions must
// agree. Differences that carry no meaning are ignored: comments, member order, parameter
// names, `T | null | undefined`, `p?: T | null` and `T | undefined` for parameters,
// `Uint8Array | number[]` vs `Uint8Array`, and `get x(): T` vs `readonly x: T` (setters
// are not compared).
// Exits 1 and lists each difference when they disagree. Also used as a module by
// tests/shim-unit.test.mjs (compareDeclarations).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
}

/** Splits `a, b` at top-level commas (not inside brackets). */
function splitTop(s) {
  const out = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if ("([{<".includes(ch)) depth++;
    if (")]}>".includes(ch)) depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

function normType(t) {
  return t
    .replace(/\s+/g, " ")
    .trim()
    .replace(/Uint8Array \| number\[\]/g, "Uint8Array")
    .replace(/\| null \| undefined/g, "| undefined")
    .replace(/ \| null$/g, "")
    .replace(/globalThis\./g, "");
}

function normMember(m) {
  m = m.replace(/\s+/g, " ").trim().replace(/;$/, "");
  if (!m || /^private constructor\(\)$/.test(m) || /^set /.test(m)) return undefined;
  let g = /^get (\w+)\(\): (.+)$/.exec(m);
  if (g) return `${g[1]}: ${normType(g[2])}`;
  g = /^(?:readonly )?(\w+): (.+)$/.exec(m);
  if (g && !m.includes("(")) return `${g[1]}: ${normType(g[2])}`;
  const call = /^(static )?(\[Symbol\.dispose\]|constructor|\w+)\((.*)\)(?:: (.+))?$/.exec(m);
  if (call) {
    const params = splitTop(call[3]).map((p) => {
      const i = p.indexOf(":");
      let t = normType(p.slice(i + 1));
      // An optional parameter takes undefined.
      if (/^\s*\w+\?/.test(p) && !/\| undefined$/.test(t)) t += " | undefined";
      return t;
    });
    return `${call[1] ?? ""}${call[2]}(${params.join(", ")})${call[4] ? ": " + normType(call[4]) : ""}`;
  }
  return normType(m);
}

/** Exported enums, classes and functions of a declaration file, normalised. */
export function declarations(text) {
  const src = stripComments(text);
  const out = new Map();
  const block = /export (enum|class) (\w+)[^{]*\{([\s\S]*?)\n\}/g;
  for (let m; (m = block.exec(src)); ) {
    const body = m[3];
    let members;
    if (m[1] === "enum") members = body.split(",").map((x) => x.replace(/\s+/g, "")).filter(Boolean);
    else members = body.split(/;\s*\n|;\s*$/).map(normMember).filter(Boolean);
    out.set(`${m[1]} ${m[2]}`, new Set(members));
  }
  const fn = /export (?:default )?function (\w+)\s*\(([\s\S]*?)\):\s*([^;]+);/g;
  for (let m; (m = fn.exec(src)); ) {
    const name = m[1];
    if (name === "__wbg_init" || name === "initSync") out.set(`function ${name}`, new Set(["present"]));
  }
  return out;
}

/** The differences between two declaration texts, as sentences (empty when they agree). */
export function compareDeclarations(committedText, generatedText) {
  const a = declarations(committedText);
  const b = declarations(generatedText);
  const problems = [];
  for (const [name, members] of b) {
    if (name.startsWith("function")) {
      if (!a.has(name)) problems.push(`${name}: generated, not declared in js/core/core.d.ts`);
      continue;
    }
    const mine = a.get(name);
    if (!mine) {
      problems.push(`${name}: generated, not declared in js/core/core.d.ts`);
      continue;
    }
    for (const x of members) if (!mine.has(x)) problems.push(`${name}: generated \`${x}\` is not declared`);
    for (const x of mine) if (!members.has(x)) problems.push(`${name}: declared \`${x}\` is not generated`);
  }
  for (const name of a.keys()) if (!b.has(name)) problems.push(`${name}: declared in js/core/core.d.ts, not generated`);
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL("..", import.meta.url);
  const generated = process.argv[2] ?? "pkg/oxeye.d.ts";
  const problems = compareDeclarations(readFileSync(new URL("js/core/core.d.ts", root), "utf8"), readFileSync(generated, "utf8"));
  if (problems.length) {
    console.error(`js/core/core.d.ts disagrees with ${generated}:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`check-core-dts: js/core/core.d.ts agrees with ${generated}`);
}

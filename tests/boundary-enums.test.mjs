// The boundary's numbered enums are declared twice: in Rust (`#[repr(u8)] pub enum` in
// src/) and in TypeScript (js/core/enums.ts, as `numbered("A B …")` calls: each key is
// numbered by its place). Nothing else ties the two together at run time, so this test
// reads both sources and requires the same enums, members and numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** `{ Enum: { Member: number } }` of every enum body matched by `pattern` in `text`; a member's number follows `sep`. */
function enumsIn(text, pattern, sep = "=") {
  const out = {};
  // Comments first: a doc comment may hold braces, commas or `=`.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
  for (const m of code.matchAll(pattern)) {
    const members = {};
    let next = 0;
    for (const item of m[2].split(",")) {
      const [name, value] = item.split(sep).map((s) => s.trim());
      if (!name) continue;
      const n = value === undefined ? next : Number(value);
      assert.ok(Number.isInteger(n), `${m[1]}.${name} = ${value}`);
      members[name] = n;
      next = n + 1;
    }
    out[m[1]] = members;
  }
  return out;
}

function rustFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? rustFiles(join(dir, e.name)) : e.name.endsWith(".rs") ? [join(dir, e.name)] : [],
  );
}

test("the boundary's enums have the same members and numbers in Rust and in js/core/enums.ts", () => {
  const tsCode = readFileSync(join(root, "js/core/enums.ts"), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const ts = {};
  for (const m of tsCode.matchAll(/export const (\w+) =\s*numbered\("([^"]*)"\);/g)) {
    ts[m[1]] = Object.fromEntries(m[2].split(" ").map((k, i) => [k, i]));
  }
  const rust = {};
  for (const f of rustFiles(join(root, "src"))) {
    Object.assign(rust, enumsIn(readFileSync(f, "utf8"), /#\[repr\(u8\)\]\s*pub enum (\w+) \{([^}]*)\}/g));
  }
  assert.deepEqual(Object.keys(ts).sort(), ["Category", "Reason", "RequestSessionStatus", "ScopeOp", "Verdict"]);
  for (const [name, members] of Object.entries(ts)) {
    assert.ok(rust[name], `src/ declares no #[repr(u8)] enum ${name}`);
    assert.deepEqual(members, rust[name], `${name}: js/core/enums.ts against src/`);
  }
});

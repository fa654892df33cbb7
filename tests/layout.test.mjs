// The repository's layout rules, checked on every tracked file: no hand-written file
// past 30 KB (lock files, benchmark results and test corpora are data, not code), and
// every Rust and TypeScript source file opens with a doc saying what it owns.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");

/** The tracked files; in a copy without git history, the hand-written directories. */
function trackedFiles() {
  try {
    return execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .split("\0")
      .filter((path) => path !== "");
  } catch {
    const skip = new Set(["node_modules", "target", "dist", "pkg", ".next", ".wrangler", "fixtures", "results"]);
    const walk = (dir) =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return skip.has(entry.name) ? [] : walk(path);
        return [relative(root, join(root, path))];
      });
    return ["src", "js", "tests", "scripts", "bench", "www", "docs"].flatMap((dir) => walk(dir));
  }
}
const tracked = trackedFiles();

const DATA = [
  /(^|\/)package-lock\.json$/,
  /(^|\/)Cargo\.lock$/,
  /^bench\/results\//,
  /\/testdata\//,
  /^tests\/(corpus|data)\//,
  /^fuzz\/corpus\//,
];
const LIMIT = 30 * 1024;

test("every hand-written file is at most 30 KB", () => {
  const code = tracked.filter((path) => !DATA.some((pattern) => pattern.test(path)));
  assert.ok(code.length > 200, `only ${code.length} files listed; is this a git checkout?`);
  const large = code
    .map((path) => [path, statSync(join(root, path), { throwIfNoEntry: false })?.size ?? 0])
    .filter(([, size]) => size > LIMIT)
    .map(([path, size]) => `${path} (${size} B)`);
  assert.deepEqual(large, [], "split these files by concept");
});

test("every Rust and TypeScript source file opens with its module doc", () => {
  const sources = tracked.filter((path) => /^(src\/.*\.rs|js\/.*\.tsx?)$/.test(path));
  assert.ok(sources.length > 100, `only ${sources.length} sources listed`);
  const undocumented = sources.filter((path) => {
    const text = readFileSync(join(root, path), "utf8");
    // A React client module must say "use client" before anything else.
    const body = text.replace(/^"use client";\s*/, "");
    return path.endsWith(".rs") ? !body.startsWith("//!") : !body.startsWith("/**");
  });
  assert.deepEqual(undocumented, [], "add a module doc at the top of these files");
});

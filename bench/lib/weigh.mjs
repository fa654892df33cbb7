/**
 * Weighing bytes the way the size tables do: raw, `gzip -9` and `brotli` (quality 11),
 * both through the Debian command-line tools (gzip with -n, so no name or timestamp
 * changes the result). Shared by the bench and by tests/size-budget.test.mjs.
 */
import { execFileSync } from "node:child_process";

function run(cmd, args, input) {
  return execFileSync(cmd, args, { input, maxBuffer: 64 << 20 }).length;
}

export function gzipSize(bytes) {
  return run("gzip", ["-9", "-n", "-c"], bytes);
}

let haveBrotli;
export function brotliSize(bytes) {
  haveBrotli ??= (() => {
    try {
      execFileSync("brotli", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
  return haveBrotli ? run("brotli", ["-q", "11", "-c"], bytes) : null;
}

export function weigh(bytes) {
  return { raw: bytes.length, gzip: gzipSize(bytes), brotli: brotliSize(bytes) };
}

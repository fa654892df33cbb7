/**
 * Test helper: what the SDK says on the console. `captureConsole(methods)` replaces those
 * console methods (default `log` and `warn`, where the debug log and warnings go) with ones
 * that keep each line, joined as the console would print it:
 *
 *   const out = captureConsole(["warn"]);
 *   try { … } finally { out.restore(); }
 *   out.lines   every line written, in order
 */
export function captureConsole(methods = ["log", "warn"]) {
  const lines = [];
  const original = {};
  for (const m of methods) {
    original[m] = console[m];
    console[m] = (...a) => lines.push(a.join(" "));
  }
  return { lines, restore: () => Object.assign(console, original) };
}

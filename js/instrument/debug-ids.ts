/**
 * Debug ids: which source map belongs to each bundled file. `sentry-cli sourcemaps inject`
 * and Sentry's bundler plugins put a snippet at the top of every file that records
 * `globalThis._sentryDebugIds[new Error().stack] = "<debug id>"` (Vercel's builds write the
 * same shape to `_debugIds`). The file a key belongs to is the innermost frame of that
 * stack, which is the snippet's own file, as @sentry/core reads it.
 *
 * The key → file parse is cached and redone only when the number of keys changes (files
 * loaded later add keys) or the global is replaced by another object. Per capture, `debugIdsFor` returns the entries whose file occurs
 * in one of the capture's stack strings (a substring test), which the core writes as
 * `debug_meta.images` of type `sourcemap`. Works wherever the global is set: browsers,
 * Node and workerd. Nothing here throws.
 */

type IdMap = Record<string, string>;

let lastCount = -1;
let lastMaps: IdMap[] = [];
let byFile: Array<[string, string]> = [];

/** The file of the innermost frame of a V8, SpiderMonkey or JavaScriptCore stack string. */
export function innermostFile(stack: string): string | undefined {
  for (const raw of stack.split("\n")) {
    const line = raw.trim();
    let loc: string | undefined;
    if (line.startsWith("at ")) {
      const open = line.lastIndexOf("(");
      loc = line.endsWith(")") && open >= 0 ? line.slice(open + 1, -1) : line.slice(3);
      if (loc.startsWith("async ")) loc = loc.slice(6);
    } else {
      const at = line.lastIndexOf("@");
      if (at >= 0) loc = line.slice(at + 1);
    }
    if (!loc) continue;
    // Cut `:line:col` (or `:line`) off the end.
    const m = /^(.*?)(?::\d+){1,2}$/.exec(loc);
    const file = m ? m[1] : loc;
    if (file && file !== "<anonymous>" && file !== "native") return file;
  }
  return undefined;
}

function globalMaps(): IdMap[] {
  const g = globalThis as { _sentryDebugIds?: unknown; _debugIds?: unknown };
  return [g._sentryDebugIds, g._debugIds].filter((m) => m && typeof m === "object") as IdMap[];
}

/** File → debug id of each key of `maps` (the first id a file is given wins). */
function filesOf(maps: IdMap[]): Array<[string, string]> {
  const seen = new Map<string, string>();
  for (const m of maps)
    for (const stack of Object.keys(m)) {
      const id = m[stack];
      const file = typeof id == "string" && innermostFile(stack);
      if (file && !seen.has(file)) seen.set(file, id);
    }
  return [...seen];
}

/** Every known file → debug id, re-read only when the globals gained or lost keys. */
export function fileDebugIds(): ReadonlyArray<[string, string]> {
  try {
    const maps = globalMaps();
    const keys = maps.map((m) => Object.keys(m));
    const count = keys.reduce((n, k) => n + k.length, 0);
    if (count === lastCount && maps.length === lastMaps.length && maps.every((m, i) => m === lastMaps[i])) return byFile;
    byFile = filesOf(maps);
    lastCount = count;
    lastMaps = maps;
  } catch {
    /* an exotic global: keep what was known */
  }
  return byFile;
}

/**
 * The debug ids of the files that occur in `stacks`, or undefined when there are none;
 * from `map` (the globals' keys and ids as another page had them: a capture it kept for
 * this one) when given, else from this page's globals.
 */
export function debugIdsFor(stacks: readonly string[], map?: IdMap): IdMap | undefined {
  if (map) {
    try {
      return inStacks(filesOf([map]), stacks);
    } catch {
      return undefined;
    }
  }
  // No map at all (most apps): nothing to read, nothing to allocate.
  try {
    const g = globalThis as { _sentryDebugIds?: unknown; _debugIds?: unknown };
    if (!g._sentryDebugIds && !g._debugIds) return undefined;
  } catch {
    /* an exotic global: read it the careful way */
  }
  return inStacks(fileDebugIds(), stacks);
}

/** The entries whose key (a file's URL) occurs in one of `stacks`, as an object; undefined when none does. */
export function inStacks<V>(entries: Iterable<[string, V]>, stacks: readonly string[]): Record<string, V> | undefined {
  let out: Record<string, V> | undefined;
  for (const [url, v] of entries) {
    if (stacks.some((s) => s.includes(url))) (out ??= {})[url] = v;
  }
  return out;
}

/**
 * Lines of source around a capture's frames, on Node (`Platform.sourceLines`): the app's
 * own files are read from disk, so an event shows the code that threw without source
 * maps on the server. The core copies them into the frames of the same file and line
 * (src/protocol/source_context.rs); the result is keyed by `<file>:<line>`, the file
 * named as the core names a frame's (`coreFileName`).
 *
 * Only source files are read (`.js`, `.mjs`, `.cjs`, `.ts`, `.tsx`, … `.vue`, `.svelte`):
 * a stack string the app set itself cannot make oxeye read another file.
 *
 * Bounds: frames of files under `node_modules`, of Node's own modules and of minified
 * code (a column past 1,000, or a line past 1,000 characters among those sent) get none;
 * a file over 1 MiB is not read; the innermost 10 frames of each stack that have a file to
 * read, and at most 50 per capture, get their context, 5 lines each side, each cut to 200
 * characters; the lines of the 10 files read last are kept, and the answers for the last
 * 16 sets of stacks (an error thrown again and again costs one lookup). Reading is
 * synchronous (the capture is), and a file is read once while it is kept. Nothing here
 * throws.
 */
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Lines each side of the frame's line. */
const AROUND = 5;
/** Longest line sent, in UTF-16 units. */
const MAX_LINE = 200;
/** Files whose lines are kept. */
const KEPT_FILES = 10;
/** Largest file read, in bytes. */
const MAX_FILE_BYTES = 1 << 20;
/** Frames that get their context per capture, at most. */
const MAX_LINES = 50;
/** Frames of one stack that get their context, at most: the innermost ones with a file to read (the code that threw, and what called it). */
const PER_STACK = 10;

/** The members of one frame's source context, as the protocol names them. */
export interface SourceLines {
  pre_context: string[];
  context_line: string;
  post_context: string[];
}

/** Lines of files read lately (`null`: not readable), the last read last. */
const files = new Map<string, string[] | null>();

function linesOf(path: string): string[] | null {
  let lines = files.get(path);
  if (lines !== undefined) {
    // Used again: it goes last.
    files.delete(path);
  } else {
    try {
      const st = statSync(path);
      lines = st.isFile() && st.size <= MAX_FILE_BYTES ? readFileSync(path, "utf8").split(/\r?\n/) : null;
    } catch {
      lines = null;
    }
    if (files.size >= KEPT_FILES) files.delete(files.keys().next().value as string);
  }
  files.set(path, lines);
  return lines;
}

/** `line` cut to `MAX_LINE` units around `col` (1-based; 0 for the start), never inside a surrogate pair. */
function snip(line: string, col: number): string {
  if (line.length <= MAX_LINE) return line;
  let start = Math.max(0, Math.min(col - MAX_LINE / 2, line.length - MAX_LINE));
  let end = start + MAX_LINE;
  if (/[\udc00-\udfff]/.test(line[start])) start++;
  if (/[\ud800-\udbff]/.test(line[end - 1])) end--;
  return line.slice(start, end);
}

/** The names of source files, whose lines may be read (scripts, and what source maps point at). */
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;

/** The file path a stack's location names (`file://` URLs read), or undefined for what is not a file of the app. */
function pathOf(file: string): string | undefined {
  if (file.includes("/node_modules/") || file.includes("\\node_modules\\")) return undefined;
  // Source files only: a stack the app built from other text (`err.stack = …`) never
  // makes oxeye send the lines of `/etc/passwd` or of an `.env` file.
  if (!SOURCE_FILE.test(file)) return undefined;
  if (file.startsWith("file://")) return fileURLToPath(file);
  return file.startsWith("/") || /^[A-Za-z]:\\/.test(file) ? file : undefined;
}

/**
 * A stack's file as the core names a Node frame's (src/stacktrace/normalize.rs,
 * `node_filename`): `file://` and the `/` before a drive letter removed, escapes decoded
 * as `decodeURI` does; a malformed escape leaves the name as it was.
 */
export function coreFileName(file: string): string {
  let path = file.startsWith("file://") ? file.slice(7) : file;
  if (/^\/[A-Z]:/.test(path)) path = path.slice(1);
  try {
    return path.includes("%") ? decodeURI(path) : path;
  } catch {
    return path;
  }
}

/** The answers for the stacks seen last (an error thrown again and again has the same), the last found last. */
const answers = new Map<string, Record<string, SourceLines> | undefined>();
/** Stack sets whose answer is kept. */
const KEPT_ANSWERS = 16;

/** Source lines for the frames of `stacks` (V8's format): `{"<file>:<line>": SourceLines}`, or undefined when there are none. */
export function sourceLines(stacks: readonly string[]): Record<string, SourceLines> | undefined {
  // (Keyed by the frames alone: the message before them may differ each time.)
  const key = stacks.map((s) => s.slice(s.indexOf("\n    at "))).join("\n\n");
  if (answers.has(key)) return answers.get(key);
  const out = find(stacks);
  if (answers.size >= KEPT_ANSWERS) answers.delete(answers.keys().next().value as string);
  answers.set(key, out);
  return out;
}

function find(stacks: readonly string[]): Record<string, SourceLines> | undefined {
  let out: Record<string, SourceLines> | undefined;
  let count = 0;
  try {
    for (const stack of stacks) {
      let taken = 0;
      for (const raw of stack.split("\n")) {
        if (taken >= PER_STACK) break;
        const line = raw.trim();
        if (!line.startsWith("at ")) continue;
        const open = line.lastIndexOf("(");
        const loc = line.endsWith(")") && open >= 0 ? line.slice(open + 1, -1) : line.slice(line.startsWith("at async ") ? 9 : 3);
        const m = /^(.+):(\d+):(\d+)$/.exec(loc);
        if (!m) continue;
        const [, file, lineText, colText] = m;
        const lineno = Number(lineText);
        const col = Number(colText);
        const key = `${coreFileName(file)}:${lineText}`;
        if (col > 1000 || out?.[key]) continue;
        const path = pathOf(file);
        const lines = path && linesOf(path);
        if (!lines || lineno < 1 || lineno > lines.length) continue;
        const at = lineno - 1;
        const pre = lines.slice(Math.max(0, at - AROUND), at);
        const post = lines.slice(at + 1, at + 1 + AROUND);
        // (A window with a line past 1,000 characters is minified code: nothing to read.)
        if ([...pre, lines[at], ...post].some((l) => l.length > 1000)) continue;
        (out ??= {})[key] = { pre_context: pre.map((l) => snip(l, 0)), context_line: snip(lines[at], col), post_context: post.map((l) => snip(l, 0)) };
        taken++;
        if (++count >= MAX_LINES) return out;
      }
    }
  } catch {
    /* what was read so far */
  }
  return out;
}

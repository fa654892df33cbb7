/**
 * Lines of source around a capture's frames, on Node (`Platform.sourceLines`): the app's
 * own files are read from disk, so an event shows the code that threw without source
 * maps on the server. The core copies them into the frames of the same file and line
 * (src/protocol/source_context.rs); the result is keyed by `<file>:<line>`, the file
 * named as the core names a frame's (`coreFileName`).
 *
 * Only source files are read (`.js`, `.mjs`, `.cjs`, `.ts`, `.tsx`, … `.vue`, `.svelte`):
 * a stack string the app set itself cannot make oxeye read another file. Lines end where
 * V8 ends them (`\n`, `\r\n`, a lone `\r`, U+2028, U+2029), so the line numbers agree.
 *
 * Bounds, whatever the stack holds (a message with user input can look like frames):
 * frames of files under `node_modules`, of Node's own modules and of minified code (a
 * column past 1,000, or a line past 1,000 characters among those sent) get none; at most
 * 10 frames of each stack (the lines after its `Name: message` header, as the core reads
 * them: none of the message's) are looked at and 5 files read per capture (the rest wait
 * for a later capture); a file over 1 MiB is not read; 5 lines each side, each cut to 200
 * characters around the column (`{snip}` marks a cut); at most 50 frames per capture.
 * Kept: the text of the 20 files read last (two stacks of 10 frames) with where its lines
 * start, and the answers for the last 16 sets of stacks as their own copies (an error
 * thrown again and again costs one lookup). Reading is synchronous (the capture is).
 * Nothing here throws.
 */
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Lines each side of the frame's line. */
const AROUND = 5;
/** Longest line sent, in UTF-16 units. */
const MAX_LINE = 200;
/** Files whose lines are kept. */
const KEPT_FILES = 20;
/** Largest file read, in bytes. */
const MAX_FILE_BYTES = 1 << 20;
/** Frames that get their context per capture, at most. */
const MAX_LINES = 50;
/** Frames of one stack with a source file looked at, at most: the innermost ones (the code that threw, and what called it). */
const PER_STACK = 10;

/** The members of one frame's source context, as the protocol names them. */
export interface SourceLines {
  pre_context: string[];
  context_line: string;
  post_context: string[];
}

/** A file's text and where each of its lines starts. */
interface FileLines {
  text: string;
  starts: number[];
}

/** Files read lately (`null`: not readable), the last read last. */
const files = new Map<string, FileLines | null>();
/** Files read per capture, at most (cached ones are free). */
const READS_PER_CAPTURE = 5;

/** `path`'s lines (`reads` counts the files read for this capture), or null. */
function linesOf(path: string, reads: { left: number }): FileLines | null {
  let lines = files.get(path);
  if (lines !== undefined) {
    // Used again: it goes last.
    files.delete(path);
  } else {
    if (reads.left-- <= 0) return null;
    lines = null;
    try {
      const st = statSync(path);
      if (st.isFile() && st.size <= MAX_FILE_BYTES) {
        const text = readFileSync(path, "utf8");
        const starts = [0];
        for (const m of text.matchAll(/\r\n?|[\n\u2028\u2029]/g)) starts.push(m.index + m[0].length);
        // (No line after the file's last line break.)
        if (starts.length > 1 && starts.at(-1) === text.length) starts.pop();
        lines = { text, starts };
      }
    } catch {
      /* not readable */
    }
    if (files.size >= KEPT_FILES) files.delete(files.keys().next().value as string);
  }
  files.set(path, lines);
  return lines;
}

/** Line `i` (0-based) of `f`, without its line break. */
function lineAt(f: FileLines, i: number): string {
  const end = i + 1 < f.starts.length ? f.starts[i + 1] : f.text.length;
  return f.text.slice(f.starts[i], end).replace(/(?:\r\n?|[\n\u2028\u2029])$/, "");
}

/** `line` cut to `MAX_LINE` units around `col` (1-based; 0 for the start), never inside a surrogate pair; `{snip}` marks each cut end. */
function snip(line: string, col: number): string {
  if (line.length <= MAX_LINE) return line;
  let start = Math.max(0, Math.min(col - MAX_LINE / 2, line.length - MAX_LINE));
  let end = start + MAX_LINE;
  if (/[\udc00-\udfff]/.test(line[start])) start++;
  if (/[\ud800-\udbff]/.test(line[end - 1])) end--;
  return `${start > 0 ? "{snip} " : ""}${line.slice(start, end)}${end < line.length ? " {snip}" : ""}`;
}

/** The names of source files, whose lines may be read (scripts, and what source maps point at). */
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro|mdx)$/i;

/** The file path a stack's location names (`file://` URLs read), or undefined for what is not a source file of the app. */
function pathOf(file: string): string | undefined {
  let path: string | undefined;
  if (file.startsWith("file://")) {
    // (A query or fragment names no file: `file:///etc/passwd#.js` is `/etc/passwd`.)
    const url = new URL(file);
    path = url.search || url.hash || url.host ? undefined : fileURLToPath(url);
  } else if (file.startsWith("/") || /^[A-Za-z]:\\/.test(file)) path = file;
  // Source files only, judged by the path read: a stack the app built from other text
  // (`err.stack = …`) never makes oxeye send the lines of `/etc/passwd` or of an `.env` file.
  return path && SOURCE_FILE.test(path) && !/[\\/]node_modules[\\/]/.test(path) ? path : undefined;
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

/**
 * How many lines the `Name: message` header takes in each of `count` stacks, by the
 * capture's described value (js/api/thrown.ts, its stacks moved out by index): as many as
 * the message has, as the core reads them (src/protocol/exception.rs, `error_frames`).
 */
export function headerLines(thrown: unknown, count: number): number[] {
  const out = new Array<number>(count).fill(1);
  const walk = (t: unknown, depth: number) => {
    if (!t || typeof t != "object" || depth > 100) return;
    const { stack, message, cause, errors } = t as { stack?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof stack == "number" && typeof message == "string") out[stack] = message.split("\n").length;
    walk(cause, depth + 1);
    if (Array.isArray(errors)) for (const e of errors) walk(e, depth + 1);
  };
  try {
    walk(thrown, 0);
  } catch {
    /* one line each */
  }
  return out;
}

/**
 * Source lines for the frames of `stacks` (V8's format): `{"<file>:<line>": SourceLines}`,
 * or undefined when there are none. `headers` says how many lines each stack's header
 * takes (`headerLines`).
 */
export function sourceLines(stacks: readonly string[], headers: readonly number[]): Record<string, SourceLines> | undefined {
  // Each stack's frame lines: what follows its header (a message can hold lines that look
  // like frames; the core skips them too).
  const frames = stacks.map((stack, i) => stack.split("\n").slice(headers[i] ?? 1));
  // (Keyed by the frames alone: the message before them may differ each time.)
  const key = frames.map((f) => f.join("\n")).join("\n\n");
  if (answers.has(key)) return answers.get(key);
  const reads = { left: READS_PER_CAPTURE };
  // (Kept as a copy of its own: cut from a file's text, its strings would keep the whole text.)
  const found = find(frames, reads);
  const out = found && (JSON.parse(JSON.stringify(found)) as Record<string, SourceLines>);
  // (An answer that lacks files left for a later capture is not kept.)
  if (reads.left >= 0) {
    if (answers.size >= KEPT_ANSWERS) answers.delete(answers.keys().next().value as string);
    answers.set(key, out);
  }
  return out;
}

/** The answer for each stack's frame lines (`frames`), reading what `reads` allows. */
function find(frames: readonly string[][], reads: { left: number }): Record<string, SourceLines> | undefined {
  let out: Record<string, SourceLines> | undefined;
  let count = 0;
  for (const lines of frames) {
    let looked = 0;
    for (const raw of lines) {
      if (looked >= PER_STACK) break;
      try {
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
        if (!path) continue;
        // (Every frame with a source file counts, whether its lines are found or not.)
        looked++;
        const f = linesOf(path, reads);
        if (!f || lineno < 1 || lineno > f.starts.length) continue;
        const at = lineno - 1;
        const range = (from: number, to: number) => Array.from({ length: Math.max(0, Math.min(to, f.starts.length) - from) }, (_, k) => lineAt(f, from + k));
        const pre = range(Math.max(0, at - AROUND), at);
        const here = lineAt(f, at);
        const post = range(at + 1, at + 1 + AROUND);
        // (A window with a line past 1,000 characters is minified code: nothing to read.)
        if ([...pre, here, ...post].some((l) => l.length > 1000)) continue;
        (out ??= {})[key] = { pre_context: pre.map((l) => snip(l, 0)), context_line: snip(here, col), post_context: post.map((l) => snip(l, 0)) };
        if (++count >= MAX_LINES) return out;
      } catch {
        /* this frame gets no lines */
      }
    }
  }
  return out;
}

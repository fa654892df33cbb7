/**
 * The one normaliser at the boundary: everything that enters the core as JSON text passes
 * through `normalize` first (capture arguments and hints, scope setters, breadcrumbs,
 * event-processor and `beforeSend` results, options). It makes a plain, JSON-safe, bounded
 * copy and never throws, whatever the value does.
 *
 * Limits (each can be passed; the defaults are `DATA_LIMITS`):
 * - depth: containers deeper than `depth` become `"[Object]"`, `"[Array]"` or
 *   `"[ClassName]"`. User data gets `normalizeDepth` (option; default 3) levels counted
 *   from the container that holds it (`extra`, `contexts`, `user`, a breadcrumb's `data`),
 *   as Sentry's SDKs count; whole events get `EVENT_DEPTH` for their own structure.
 * - breadth: at most `breadth` (default 1000, as Sentry's `normalizeMaxBreadth`) entries
 *   per object or array; the rest is one `"[MaxProperties ~]"` marker.
 * - size: a budget of about `maxBytes` characters of output per call (default 256 KiB;
 *   whole events 1 MiB); once spent, what is left becomes `"[MaxSize ~]"`. Strings are cut
 *   at `maxString` characters (default 16 KiB) and keys at `MAX_KEY` (256), with "…".
 * - references: a value met again on the current path is a true cycle, `"[Circular ~]"`;
 *   a value already written elsewhere (a shared reference) is written once, and later
 *   meetings are `"[Shared ~]"`, so a graph of mutual references stays linear.
 *
 * Summaries instead of contents: typed arrays, `ArrayBuffer`, Node's `Buffer` and
 * `DataView` become `"[Uint8Array(1048576)]"` (type and length, never enumerated);
 * `BigInt` `"12n"`; symbols `"Symbol(x)"`; functions `"[Function: name]"`; dates their ISO
 * text (`"[Invalid Date]"`); errors `{ name, message, stack }`; DOM nodes
 * as a selector, `"[HTMLDivElement: div#cart.open]"`; `Map`/`Set` `"[Map(3)]"`; promises and weak collections by type;
 * non-finite numbers as text; `undefined` is left out of objects, `null` in arrays.
 *
 * Every read is guarded: throwing getters, revoked proxies and proxies whose traps throw
 * (including `getPrototypeOf`) give `"[unreadable]"` for that value only. `toJSON` is
 * honoured, inside a try.
 */
import { keysOf, read } from "./guard.js";

/** Limits of one normalisation. */
export interface Limits {
  depth: number;
  breadth: number;
  maxBytes: number;
  maxString: number;
}

/** Sentry's default `normalizeDepth`. */
export const DEFAULT_NORMALIZE_DEPTH = 3;
/** Depth of an event's own structure (exception → values → frame → vars → …). */
export const EVENT_DEPTH = 8;
/** Longest key kept whole. */
export const MAX_KEY = 256;

/** Defaults for user data. */
export const DATA_LIMITS: Limits = { depth: DEFAULT_NORMALIZE_DEPTH, breadth: 1000, maxBytes: 256 * 1024, maxString: 16 * 1024 };
/** Defaults for whole events (captureEvent, processor and beforeSend results); their depth is `EVENT_DEPTH`, given per key by `normalizeEvent`. */
export const EVENT_LIMITS: Omit<Limits, "depth"> = { breadth: 1000, maxBytes: 1024 * 1024, maxString: 16 * 1024 };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface State {
  /** The limits the walk reads (the depth is the walk's own argument). */
  lim: Omit<Limits, "depth">;
  left: number;
  path: Set<unknown>;
  done: WeakSet<object>;
}

/**
 * `s` cut to `max` characters, marked with "…" when it was longer, and well-formed: a
 * lone surrogate (half of an emoji, `"\ud800"`) becomes U+FFFD, as the JSON Sentry's
 * server reads cannot hold one (it refuses the whole event), and a cut never splits a
 * pair. A word the cut would split goes whole: the core scrubs whole secrets, and the
 * start of one (a card number, a token) would pass it. A word is a run of the characters
 * secrets are written with (ASCII letters, digits, `+/=_-.~%@:`); digit groups split by
 * one space (the no-break, figure, narrow and ideographic ones too) are one. A text that
 * is one word is cut where asked.
 */
export function cut(s: string, max: number): string {
  // (With the `u` flag a surrogate range matches only the lone ones.)
  s = s.replace(/[\ud800-\udfff]/gu, "\ufffd");
  if (s.length <= max) return s;
  const joined = (i: number) => /[\w+/=.~%@:-]/.test(s[i] ?? "") || (/[ \u00a0\u2007\u202f\u3000]/.test(s[i] ?? "") && /\d/.test(s[i - 1] ?? "") && /\d/.test(s[i + 1] ?? ""));
  let i = max;
  if (joined(i)) while (i > 0 && joined(i - 1)) i--;
  // (A text of one word, an id or a long token, is cut where asked: cut whole, nothing would be left.)
  i ||= max;
  // (Not between the halves of a pair.)
  if (/[\ud800-\udbff]/.test(s[i - 1])) i--;
  return s.slice(0, i) + "…";
}

/** The constructor's name, read without trusting the object. */
export function typeName(v: object): string | undefined {
  const ctor = read(v, "constructor");
  const name = typeof ctor === "function" ? read(ctor, "name") : undefined;
  return typeof name === "string" && name ? name : undefined;
}

/** True for Error objects (also from other realms, by shape). */
export function isErrorLike(v: unknown): v is Record<string, unknown> {
  try {
    if (v instanceof Error) return true;
  } catch {
    /* a proxy whose getPrototypeOf throws */
  }
  if (!v || typeof v !== "object") return false;
  return typeof read(v, "message") === "string" && typeof read(v, "stack") === "string";
}

function isArray(v: unknown): boolean {
  try {
    return Array.isArray(v);
  } catch {
    return false; // a revoked proxy
  }
}

/** A short text for values that are summarised, or undefined for plain containers. */
function summary(v: object, st: State): string | undefined {
  // The built-in tag (`[object Map]` → `Map`).
  let t = "Object";
  try {
    t = Object.prototype.toString.call(v).slice(8, -1);
  } catch {
    /* a Proxy's trap */
  }
  try {
    if (ArrayBuffer.isView(v)) {
      const n = v instanceof DataView ? v.byteLength : (v as unknown as { length: number }).length;
      return `[${typeName(v) ?? t}(${n})]`;
    }
  } catch {
    return `[${t}]`;
  }
  if (t === "ArrayBuffer" || t === "SharedArrayBuffer") {
    const n = read(v, "byteLength");
    return `[${t}(${typeof n === "number" ? n : "?"})]`;
  }
  if (t === "Map" || t === "Set") {
    let n: unknown;
    try {
      n = (v as Map<unknown, unknown>).size;
    } catch {
      n = "?";
    }
    return `[${t}(${n})]`;
  }
  if (t === "WeakMap" || t === "WeakSet" || t === "WeakRef" || t === "Promise") return `[${t}]`;
  if (t === "RegExp") {
    try {
      return cut(String(v), st.lim.maxString);
    } catch {
      return "[RegExp]";
    }
  }
  const nodeType = read(v, "nodeType");
  const nodeName = read(v, "nodeName");
  if (typeof nodeType === "number" && typeof nodeName === "string") {
    // An element as a selector: its tag, `#id` and `.classes` (what tells one from another).
    const id = read(v, "id");
    const classes = read(v, "className");
    let sel = nodeName.toLowerCase();
    if (typeof id === "string" && id) sel += `#${id}`;
    if (typeof classes === "string" && classes.trim()) sel += `.${classes.trim().split(/\s+/).join(".")}`;
    return `[${typeName(v) ?? "Node"}: ${cut(sel, 128)}]`;
  }
  if (t === "Window" || t === "global" || v === globalThis) return `[${t}]`;
  return undefined;
}

function walk(v: unknown, depth: number, st: State): Json | undefined {
  if (st.left <= 0) return "[MaxSize ~]";
  switch (typeof v) {
    case "string": {
      const s = cut(v, st.lim.maxString);
      st.left -= s.length + 2;
      return s;
    }
    case "number":
      st.left -= 8;
      return Number.isFinite(v) ? v : String(v);
    case "boolean":
      st.left -= 5;
      return v;
    case "bigint":
      return cut(`${v}n`, 64);
    case "undefined":
      return undefined;
    case "symbol":
      try {
        return cut(String(v), 256);
      } catch {
        return "[Symbol]";
      }
    case "function": {
      const name = read(v, "name");
      return `[Function: ${typeof name === "string" && name ? cut(name, 128) : "<anonymous>"}]`;
    }
  }
  if (v == null) return null;
  if (st.path.has(v)) return "[Circular ~]";
  if (st.done.has(v)) return "[Shared ~]";
  try {
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? "[Invalid Date]" : v.toISOString();
  } catch {
    return "[unreadable]";
  }
  const short = summary(v, st);
  if (short) return short;
  st.path.add(v);
  try {
    if (isErrorLike(v)) {
      const out: { [k: string]: Json } = Object.create(null);
      for (const k of ["name", "message", "stack"]) {
        const x = read(v, k);
        if (x !== undefined) out[k] = walk(String(x), depth, st) ?? null;
      }
      return out;
    }
    const toJSON = read(v, "toJSON");
    if (typeof toJSON === "function") {
      let j: unknown;
      try {
        j = (toJSON as () => unknown).call(v);
      } catch {
        return "[unreadable]";
      }
      return j === v ? "[Circular ~]" : (walk(j, depth, st) ?? null);
    }
    const arr = isArray(v);
    if (depth <= 0) return arr ? "[Array]" : `[${typeName(v) ?? "Object"}]`;
    if (arr) {
      const len = Number(read(v, "length")) || 0;
      const out: Json[] = [];
      for (let i = 0; i < Math.min(len, st.lim.breadth); i++) {
        if (st.left <= 0) {
          out.push("[MaxSize ~]");
          break;
        }
        out.push(walk(read(v, String(i)), depth - 1, st) ?? null);
        st.left -= 1;
      }
      if (len > st.lim.breadth) out.push("[MaxProperties ~]");
      return out;
    }
    let keys: string[];
    try {
      keys = Object.keys(v);
    } catch {
      return "[unreadable]";
    }
    const out: { [k: string]: Json } = Object.create(null);
    let n = 0;
    for (const k of keys) {
      if (n >= st.lim.breadth) {
        out["..."] = "[MaxProperties ~]";
        break;
      }
      if (st.left <= 0) {
        out["..."] = "[MaxSize ~]";
        break;
      }
      const key = cut(k, MAX_KEY);
      const x = walk(read(v, k), depth - 1, st);
      st.left -= key.length + 4;
      if (x !== undefined) {
        out[key] = x;
        n++;
      }
    }
    return out;
  } catch {
    return "[unreadable]";
  } finally {
    st.path.delete(v);
    st.done.add(v);
  }
}

/** A plain JSON-safe, bounded copy of `v` (see the module doc); `undefined` stays undefined. */
export function normalize(v: unknown, limits: Partial<Limits> = {}): Json | undefined {
  const lim: Limits = { ...DATA_LIMITS, ...limits };
  try {
    return walk(v, lim.depth, { lim, left: lim.maxBytes, path: new Set(), done: new WeakSet() });
  } catch {
    return "[unreadable]";
  }
}

/** JSON text of the normalised value (`null` for undefined). Never throws. */
export function toJson(v: unknown, limits: Partial<Limits> = {}): string {
  try {
    return JSON.stringify(normalize(v, limits) ?? null);
  } catch {
    return '"[unreadable]"';
  }
}

/** Keys of an event holding user data: normalised to `normalizeDepth` counted from the key's object, as Sentry's SDKs do. */
const DATA_KEYS = new Set(["extra", "contexts", "user", "tags", "request"]);

/**
 * A whole event (captureEvent, processor or beforeSend result) normalised: its own
 * structure to `EVENT_DEPTH`, user data (`extra`, `contexts`, `user`, `tags`, `request`)
 * to `dataDepth` counted from the container (`extra.a.b.c` is the last level kept at 3),
 * one size budget for all of it.
 */
export function normalizeEvent(event: unknown, dataDepth = DEFAULT_NORMALIZE_DEPTH): { [k: string]: Json } {
  const out: { [k: string]: Json } = Object.create(null);
  if (!event || typeof event !== "object") return out;
  const st: State = { lim: EVENT_LIMITS, left: EVENT_LIMITS.maxBytes, path: new Set([event]), done: new WeakSet() };
  for (const k of keysOf(event).slice(0, EVENT_LIMITS.breadth)) {
    try {
      const x = walk(read(event, k), DATA_KEYS.has(k) ? dataDepth : EVENT_DEPTH, st);
      if (x !== undefined) out[cut(k, MAX_KEY)] = x;
    } catch {
      out[cut(k, MAX_KEY)] = "[unreadable]";
    }
  }
  return out;
}

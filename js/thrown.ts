/**
 * Reading a thrown value safely: collects the plain facts the core needs (kind, name,
 * message, stack, keys, a bounded copy of objects). Getters that throw, cycles, huge
 * objects and exotic values are all survived; nothing here throws.
 */

/** Facts about a thrown value, as the core's `Thrown` expects them. */
export interface Thrown {
  kind: string;
  name?: string;
  message?: string;
  stack?: string;
  text?: string;
  keys?: string[];
  data?: unknown;
  cause?: Thrown;
  errors?: Thrown[];
  httpStatus?: number;
}

/** How many linked errors (`cause`, aggregate members) are read at most. */
const MAX_LINKED = 10;

const MAX_DEPTH = 3;
const MAX_BREADTH = 100;
const MAX_STRING = 1024;

function read(obj: unknown, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (v === undefined || v === null) return undefined;
  try {
    return String(v);
  } catch {
    return undefined;
  }
}

function isErrorLike(v: unknown): boolean {
  try {
    if (v instanceof Error) return true;
  } catch {
    /* cross-realm or proxy: fall through */
  }
  if (typeof v !== "object" || v === null) return false;
  return typeof read(v, "message") === "string" && typeof read(v, "stack") === "string";
}

function constructorName(v: object): string | undefined {
  const ctor = read(v, "constructor");
  const name = typeof ctor === "function" ? read(ctor, "name") : undefined;
  return typeof name === "string" && name ? name : undefined;
}

/** A JSON-safe, bounded, cycle-free copy of `v`. */
export function normalize(v: unknown, depth = MAX_DEPTH, seen: unknown[] = []): unknown {
  switch (typeof v) {
    case "string":
      return v.length > MAX_STRING ? v.slice(0, MAX_STRING) + "…" : v;
    case "number":
      return Number.isFinite(v) ? v : String(v);
    case "boolean":
      return v;
    case "bigint":
      return `${v}n`;
    case "undefined":
      return "[undefined]";
    case "symbol":
      return str(v);
    case "function":
      return `[Function: ${str(read(v, "name")) || "<anonymous>"}]`;
  }
  if (v === null) return null;
  if (seen.includes(v)) return "[Circular ~]";
  if (isErrorLike(v)) return { name: str(read(v, "name")), message: str(read(v, "message")) };
  if (v instanceof Date) return isNaN(v.getTime()) ? "[Invalid Date]" : v.toISOString();
  if (depth <= 0) return Array.isArray(v) ? "[Array]" : `[${constructorName(v as object) || "Object"}]`;
  seen.push(v);
  let out: unknown;
  try {
    if (Array.isArray(v)) {
      out = v.slice(0, MAX_BREADTH).map((x) => (x === undefined ? null : normalize(x, depth - 1, seen)));
    } else {
      const o: Record<string, unknown> = {};
      let keys: string[] = [];
      try {
        keys = Object.keys(v as object);
      } catch {
        /* exotic object */
      }
      for (const k of keys.slice(0, MAX_BREADTH)) {
        const x = read(v, k);
        // As in JSON, a property whose value is undefined is left out.
        if (x !== undefined) o[k] = normalize(x, depth - 1, seen);
      }
      if (keys.length > MAX_BREADTH) o["…"] = `${keys.length - MAX_BREADTH} more keys`;
      out = o;
    }
  } finally {
    seen.pop();
  }
  return out;
}

/** The HTTP status an error stands for (`status`, `statusCode`, `response.status`), if any. */
function httpStatus(v: unknown): number | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  for (const candidate of [read(v, "status"), read(v, "statusCode"), read(read(v, "response"), "status")]) {
    if (typeof candidate === "number" && Number.isInteger(candidate) && candidate >= 100 && candidate <= 599) return candidate;
  }
  return undefined;
}

/** Describes anything a program can throw or reject with, following `cause` chains and
 * `AggregateError` members (bounded, cycle-safe). */
export function describeThrown(value: unknown, seen: unknown[] = [], budget = { left: MAX_LINKED }): Thrown {
  try {
    // A browser ErrorEvent or PromiseRejectionEvent that slipped through: use what it carries.
    if (typeof value === "object" && value !== null && !isErrorLike(value)) {
      const inner = read(value, "error") ?? read(value, "reason");
      if (isErrorLike(inner)) value = inner;
    }
    if (isErrorLike(value)) {
      const out: Thrown = {
        kind: "error",
        name: str(read(value, "name")) ?? constructorName(value as object),
        message: str(read(value, "message")),
        stack: str(read(value, "stack")),
        httpStatus: httpStatus(value),
      };
      seen.push(value);
      const cause = read(value, "cause");
      if (cause !== undefined && cause !== null && !seen.includes(cause) && budget.left-- > 0) {
        out.cause = describeThrown(cause, seen, budget);
      }
      const members = read(value, "errors");
      if (Array.isArray(members)) {
        out.errors = [];
        for (const m of members) {
          if (seen.includes(m) || budget.left-- <= 0) break;
          out.errors.push(describeThrown(m, seen, budget));
        }
      }
      return out;
    }
    if (value === null) return { kind: "null", text: "null" };
    const kind = typeof value;
    if (kind === "object" || kind === "function") {
      let keys: string[] = [];
      try {
        keys = Object.keys(value as object);
      } catch {
        /* exotic object */
      }
      return {
        kind,
        name: kind === "object" ? constructorName(value as object) : str(read(value, "name")),
        keys: keys.slice(0, 50),
        data: normalize(value),
        httpStatus: httpStatus(value),
      };
    }
    if (kind === "string") return { kind, text: normalize(value) as string };
    return { kind, text: kind === "undefined" ? "undefined" : str(value) };
  } catch {
    return { kind: "unknown", text: "[unreadable value]" };
  }
}

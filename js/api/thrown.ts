/**
 * Reading a thrown value safely: collects the plain facts the core needs (the contract's
 * `Thrown`: kind, name, message, stack, keys, a normalised copy of objects), following
 * `cause` chains and `AggregateError` members. How many linked errors are *sent* is the
 * core's `maxLinkedErrors`; the shim only stops walking at a hard cap of `MAX_WALK` (100)
 * linked values, so a hostile chain never costs more. Getters that throw, cycles, proxies
 * and exotic values are all survived; nothing here throws.
 */
import { cut, isErrorLike, MAX_KEY, normalize, toJson, typeName } from "./normalize.js";
import { keysOf, read } from "./guard.js";

/** Facts about a thrown value, as the core's `Thrown` expects them. */
export interface Thrown {
  kind: string;
  name?: string;
  message?: string;
  /** The stack, or its index among the capture's stacks once it is moved there. */
  stack?: string | number;
  text?: string;
  keys?: string[];
  data?: unknown;
  cause?: Thrown;
  errors?: Thrown[];
  httpStatus?: number;
  /** For a non-Error throw: a stack taken at the capture call (or its index, as `stack`). */
  syntheticStack?: string | number;
}

/** Linked values (causes and aggregate members) walked at most. */
export const MAX_WALK = 100;
const MAX_TEXT = 16 * 1024;
const MAX_STACK = 64 * 1024;
const MAX_KEYS = 50;

function str(v: unknown, max = MAX_TEXT): string | undefined {
  if (v === undefined || v === null) return undefined;
  try {
    return cut(String(v), max);
  } catch {
    /* undefined */
  }
}

/**
 * An error's stack, cut at `MAX_STACK`. V8 begins the stack with the message, so a
 * message too long to send whole is first replaced there by its cut, as sent: the frames
 * after it survive, and the header is the message the core reads, line for line (frames
 * the message quotes past its cut are not read as the error's own).
 */
function stackText(stack: unknown, message: unknown): string | undefined {
  if (typeof stack == "string" && typeof message == "string" && message.length > MAX_TEXT) {
    const at = stack.indexOf(message);
    if (at >= 0) stack = stack.slice(0, at) + cut(message, MAX_TEXT) + stack.slice(at + message.length);
  }
  return str(stack, MAX_STACK);
}

/** `c` when it is an HTTP status: an integer from 100 to 599 (404.5 and 42 are none). */
const ok = (c: unknown): c is number => Number.isInteger(c) && (c as number) >= 100 && (c as number) <= 599;

/**
 * The HTTP status of a thrown object (`status`, `statusCode` and `response` read by the
 * caller), read where HTTP clients put it: its `status` or `statusCode` (axios, ofetch,
 * Apollo Client 4, a thrown `Response`), its `response`'s `status` or `statusCode` (ky,
 * axios, got), `data.httpStatus` (tRPC), or, one level down, those of the failed request it
 * wraps (Apollo Client 3's `networkError`, tRPC's `meta`): the first that is a status.
 */
function statusOf(v: object, status: unknown, statusCode: unknown, response: unknown, inner?: 1): number | undefined {
  for (const c of [status, statusCode, read(response, "status"), read(response, "statusCode"), read(read(v, "data"), "httpStatus")]) if (ok(c)) return c;
  return inner ? undefined : (httpStatus(read(v, "networkError"), 1) ?? httpStatus(read(v, "meta"), 1));
}

/** The HTTP status of a thrown object (see `statusOf`); none for any other value. */
export function httpStatus(v: unknown, inner?: 1): number | undefined {
  return v && typeof v == "object" ? statusOf(v, read(v, "status"), read(v, "statusCode"), read(v, "response"), inner) : undefined;
}

/** Errors made by a call oxeye passed on (the page's `fetch`), with the stack to send for them. */
const appStacks = new WeakMap<object, string>();

/**
 * Notes that `error` (a failed request's) was made while oxeye's wrapper called the
 * runtime for the app, whose frames at that call `callers` holds (V8's
 * `Error.captureStackTrace`, which names no frame of the wrapper's). Its stack is then sent
 * without the wrapper's frames, from the app's call on: otherwise oxeye's are its newest,
 * in-app as the bundle's file is, and in every issue's grouping. Unchanged when the stack
 * does not hold the app's first frame as it was then (another engine, an async call).
 */
export function fromAppCall(error: unknown, callers: string | undefined): void {
  try {
    const stack = read(error, "stack");
    const first = callers?.split("\n")[1];
    if (typeof stack != "string" || !first) return;
    const frames = stack.indexOf("\n    at ");
    const app = frames < 0 ? -1 : stack.indexOf("\n" + first, frames);
    if (app > frames) appStacks.set(error as object, stack.slice(0, frames) + stack.slice(app));
  } catch {
    /* sent as it is */
  }
}

function describe(value: unknown, seen: Set<unknown>, budget: { left: number }): Thrown {
  try {
    // A browser ErrorEvent or PromiseRejectionEvent that slipped through: use what it
    // carries. So does a wrapper with an HTTP status (React Router's 404 for a URL no route
    // matches, `{ status, error }`), whose status then stays the error's, and any object
    // that holds an error (a logger's `{ err, op }`, GraphQL's `{ originalError, path }`),
    // whose data then goes with the error's event (as Sentry's SDKs read it).
    let outerStatus: number | undefined;
    let wrapper: object | undefined;
    if (value && typeof value === "object" && !isErrorLike(value)) {
      let inner = read(value, "error") ?? read(value, "reason");
      if (!isErrorLike(inner) && !(typeof Event == "function" && value instanceof Event)) {
        for (const k of keysOf(value).slice(0, MAX_KEYS)) if (isErrorLike((inner = read(value, k)))) {
          wrapper = value;
          break;
        }
      }
      if (isErrorLike(inner)) {
        outerStatus = httpStatus(value);
        value = inner;
      }
    }
    // A DOM event (an image's or a script's `error`, a socket's `close`, …): its type and
    // target, which is all that tells one from another (its only own key is `isTrusted`).
    if (typeof Event == "function" && value instanceof Event) {
      const target = normalize(read(value, "target"));
      return { kind: "error", name: typeName(value), message: str(read(value, "type"), 256) + (typeof target == "string" ? ` on ${target}` : "") };
    }
    if (isErrorLike(value)) {
      // What it carries, each property read at its own site (so each read keeps its own
      // inline cache: one shared reader sees every shape and key, and misses, such as an
      // error's absent `status`, are slow there), every read guarded.
      let name, message, stack, cause, errors, status, statusCode, response;
      try {
        name = value.name;
      } catch {
        /* a throwing getter */
      }
      try {
        message = value.message;
      } catch {
        /* a throwing getter */
      }
      try {
        stack = appStacks.get(value) ?? value.stack;
      } catch {
        /* a throwing getter */
      }
      try {
        cause = value.cause;
      } catch {
        /* a throwing getter */
      }
      try {
        errors = value.errors;
      } catch {
        /* a throwing getter */
      }
      try {
        status = value.status;
      } catch {
        /* a throwing getter */
      }
      try {
        statusCode = value.statusCode;
      } catch {
        /* a throwing getter */
      }
      try {
        response = value.response;
      } catch {
        /* a throwing getter */
      }
      const out: Thrown = {
        kind: "error",
        name: str(name, 256) ?? typeName(value as object),
        // A message that is an object (an API's error body) as its JSON, not "[object Object]".
        message: str(message && typeof message == "object" ? toJson(message) : message),
        stack: stackText(stack, message),
        httpStatus: statusOf(value, status, statusCode, response) ?? outerStatus,
        data: wrapper && normalize(wrapper),
      };
      seen.add(value);
      if (cause !== undefined && cause !== null && !seen.has(cause) && budget.left-- > 0) {
        out.cause = describe(cause, seen, budget);
      }
      let list: unknown[] = [];
      try {
        if (Array.isArray(errors)) list = errors.slice(0, MAX_WALK);
      } catch {
        /* a revoked proxy */
      }
      if (list.length) {
        out.errors = [];
        for (const m of list) {
          if (seen.has(m) || budget.left-- <= 0) break;
          out.errors.push(describe(m, seen, budget));
        }
      }
      return out;
    }
    if (value === null) return { kind: "null", text: "null" };
    const kind = typeof value;
    if (kind === "object" || kind === "function") {
      // Sorted, so that `{ code, message }` and `{ message, code }` are titled (and grouped) alike.
      const keys = keysOf(value).sort().slice(0, MAX_KEYS);
      // An object that says what went wrong (`{ code, message }`) is named by that, with its
      // string `name` as the type; any other object by its keys, typed by its constructor (a
      // `name` there may be a person's, or differ from one object to the next).
      const message = read(value, "message");
      const name = read(value, "name");
      // (A blank message says nothing, as the core reads it.)
      const says = typeof message == "string" && message.trim() != "";
      return {
        kind,
        name: kind === "object" ? ((says && typeof name == "string" && str(name, 256)) || typeName(value as object)) : str(name, 256),
        message: says ? str(message) : undefined,
        keys: keys.map((k) => cut(k, MAX_KEY)),
        data: normalize(value),
        httpStatus: httpStatus(value),
      };
    }
    return { kind, text: kind === "undefined" ? "undefined" : str(value) };
  } catch {
    return { kind: "object", text: "[unreadable value]" };
  }
}

/**
 * What a global or handler-level catch reports for an uncaught `value`: an object as it
 * is, a thrown string or number (or `null`) as an error with its text, so that it is
 * reported as the unhandled error it is, not as a message.
 */
export function uncaught(value: unknown): unknown {
  return Object(value) === value ? value : { name: "Error", message: String(value), stack: "" };
}

/** Describes anything a program can throw or reject with (see `Thrown`). */
export function describeThrown(value: unknown): Thrown {
  return describe(value, new Set(), { left: MAX_WALK });
}

/**
 * The Rust↔JS boundary as the shim sees it: the glue over the core's hand-written wasm
 * ABI (`src/bindings.rs`, which says how values cross). Only `js/core/` imports this
 * module, and the tunnels its `parseDsn`. The wasm imports nothing; its exports take and
 * return numbers only.
 *
 * - Strings in: `TextEncoder.encodeInto` into a buffer from the core's `alloc` (bytes
 *   are copied in); the core frees it when the call ends. Absent is address 0.
 * - A capture's stacks: after its JSON in the same bytes, each after a 0xFF byte (which
 *   UTF-8 never holds), the JSON referring to them by index, so they are never escaped
 *   into JSON or unescaped from it (the engine writes them: `client-engine.ts`).
 * - Strings and bytes out: the export returns the address of a return area
 *   `[address, length, extra]` (0: absent), read at once with one shared `TextDecoder`
 *   or copied into a fresh `Uint8Array`.
 * - The memory views are made again whenever the memory has grown (any call may grow it).
 *
 * One wasm instance per copy of this module: the loaders import a fresh copy under its
 * own URL (`core.js#instance=N` in browsers, `?instance=N` in Node) for a new instance after a trap. The boundary's
 * numbered enums are declared in `enums.ts` and only named as types here, so code that
 * uses them as values does not pull this module into its chunk.
 */
import type { Category, Reason, RequestSessionStatus, ScopeOp, Verdict } from "./enums.js";


/** A DSN as the core's parser reads it. `free()` does nothing (kept for callers that free it). */
export interface ParsedDsn {
  publicDsn: string | undefined;
  envelopeUrl: string | undefined;
  error: string | undefined;
  free(): void;
}

/** The core's exports (`src/bindings.rs`): numbers in, numbers out. */
interface Exports {
  memory: { readonly buffer: ArrayBuffer };
  [name: string]: any;
}

// The types these signatures name are written without the DOM library's (`WebAssembly`,
// `BufferSource`, `RequestInfo`), which a Node project's TypeScript may not have: the
// declarations must check there too. A compiled `WebAssembly.Module` is an `object`.
/** A URL (string or `URL`), a fetch `Request` or `Response`, the bytes, or a compiled module. */
export type InitInput = string | URL | ArrayBuffer | ArrayBufferView | object;
/** The bytes, or a compiled module. */
export type SyncInitInput = ArrayBuffer | ArrayBufferView | object;

let x: Exports | undefined;
let u8 = new Uint8Array(0);
let u32 = new Uint32Array(0);
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { ignoreBOM: true });
/** Length of the argument `put` wrote last (read right after it, as the next argument). */
let n = 0;

function mem(): Uint8Array {
  const b = x!.memory.buffer;
  if (u8.buffer !== b) {
    u8 = new Uint8Array(b);
    u32 = new Uint32Array(b);
  }
  return u8;
}

/**
 * Copies an argument into a buffer the callee frees; its length is left in `n`. Short text
 * is encoded straight into a buffer of the largest size it can need (a small block);
 * longer text is encoded first, so its buffer has the exact size and the core's heap is
 * not asked for three times what it holds.
 */
function put(v: string | Uint8Array | null | undefined): number {
  if (v == null) return (n = 0);
  const short = typeof v == "string" && v.length < 339; // 3 × 338 + the 8-byte header ≤ 1 KiB
  if (!short && typeof v == "string") v = enc.encode(v);
  const cap = short ? v.length * 3 : v.length;
  const p: number = x!.alloc(cap);
  const m = mem();
  if (short) n = enc.encodeInto(v as string, m.subarray(p, p + cap)).written!;
  else m.set(v as Uint8Array, p), (n = cap);
  return p;
}

/** The bytes a return area points at (a view: read at once), or undefined. */
function out(r: number): Uint8Array | undefined {
  // `mem()` runs first (it renews `u32` after the memory grew), then the arguments read `u32`.
  if (r) return mem().subarray(u32[(r >>= 2)], u32[r] + u32[r + 1]);
}

const str = (r: number): string | undefined => {
  const b = out(r);
  return b && dec.decode(b);
};
const bytes = (r: number): Uint8Array | undefined => out(r)?.slice();

/** Cores dropped by the app without `free()` are freed once collected (never throwing: the instance may have trapped since). */
const gone =
  typeof FinalizationRegistry == "function"
    ? new FinalizationRegistry<number>((h) => {
        try {
          x!.drop(h);
        } catch {}
      })
    : undefined;

/** One oxeye client's core. */
export class Core {
  declare private h: number;

  constructor(options_json: string) {
    this.h = x!.create(put(options_json), n);
    gone?.register(this, this.h, this);
  }

  free(): void {
    const h = this.h;
    this.h = 0;
    gone?.unregister(this);
    x!.drop(h);
  }

  // Read-only facts, here and below: getters defined from the tables after the class
  // (`facts`), each calling the export of its name with the core's handle.
  declare readonly dsnError: string | undefined;
  declare readonly disabledReason: string | undefined;
  declare readonly url: string | undefined;
  declare readonly release: string | undefined;
  get randomBytes(): number {
    return x!.randomBytes();
  }

  /**
   * `input`: CaptureInput JSON as UTF-8, then the stacks it refers to by index, each after a
   * 0xFF byte. `hand_back` 2: an error the host dropped before it was built, only counted in the session.
   */
  capture(input: Uint8Array, current: number, isolation: number, global: number, now_ms: number, random: Uint8Array, hand_back: boolean | 2): Verdict {
    return x!.capture(this.h, put(input), n, current, isolation, global, now_ms, put(random), n, hand_back);
  }
  finish(event_id: string, event_json: string, now_ms: number): Verdict {
    return x!.finish(this.h, put(event_id), n, put(event_json), n, now_ms);
  }
  dropPending(event_id: string, reason: Reason): void {
    x!.dropPending(this.h, put(event_id), n, reason);
  }
  /** The last envelope (taken: a second read gives `undefined`). */
  declare readonly envelope: Uint8Array | undefined;
  declare readonly category: Category;
  declare readonly quantity: number;
  declare readonly reason: Reason;
  declare readonly detail: string;
  declare readonly event: string | undefined;
  declare readonly subjects: string | undefined;

  forkScope(from: number, to: number): void {
    x!.forkScope(this.h, from, to);
  }
  dropScope(id: number): void {
    x!.dropScope(this.h, id);
  }
  scopeSet(id: number, op: ScopeOp, key?: string | null, value_json?: string | null): void {
    x!.scopeSet(this.h, id, op, put(key), n, put(value_json), n);
  }
  addBreadcrumb(id: number, crumb_json: string, now_ms: number): void {
    x!.addBreadcrumb(this.h, id, put(crumb_json), n, now_ms);
  }

  recordOutcome(reason: Reason, category: Category, quantity: number): void {
    x!.recordOutcome(this.h, reason, category, quantity);
  }
  takeClientReport(now_ms: number): Uint8Array | undefined {
    return bytes(x!.takeClientReport(this.h, now_ms));
  }

  /** The parts of outgoing trace headers as JSON (`{ trace_id, span_id, sampled?, dsc }`); undefined while off. */
  traceHeaders(isolation: number, random: Uint8Array): string | undefined {
    return str(x!.traceHeaders(this.h, isolation, put(random), n));
  }
  /** Continues a trace from the parts of incoming headers (`dsc_json`: keys and values in turn), or restarts it without a trace id. */
  continueTrace(id: number, trace_id: string | undefined, parent_span_id: string | undefined, sampled: boolean | undefined, dsc_json: string | undefined, random: Uint8Array): boolean {
    return !!x!.continueTrace(this.h, id, put(trace_id), n, put(parent_span_id), n, sampled === undefined ? 2 : +sampled, put(dsc_json), n, put(random), n);
  }

  // release health (src/session.rs); envelopes: then `category` (Session) and `quantity`
  declare readonly sessionError: string | undefined;
  startSession(isolation: number, now_ms: number, random: Uint8Array): boolean {
    return !!x!.startSession(this.h, isolation, now_ms, put(random), n);
  }
  endSession(now_ms: number): void {
    x!.endSession(this.h, now_ms);
  }
  takeSessionEnvelope(now_ms: number): Uint8Array | undefined {
    return bytes(x!.takeSessionEnvelope(this.h, now_ms));
  }
  recordRequestSession(isolation: number, status: RequestSessionStatus, now_ms: number): void {
    x!.recordRequestSession(this.h, isolation, status, now_ms);
  }
  takeSessionAggregates(now_ms: number): Uint8Array | undefined {
    return bytes(x!.takeSessionAggregates(this.h, now_ms));
  }
}

/**
 * Parses a DSN with the core's parser (of this module's wasm instance, once it is
 * initialised). A function of the module, not of `Core`, so that bundles which never
 * parse a DSN (only the tunnels do) leave it out.
 */
export function parseDsn(text: string): ParsedDsn {
  const r = x!.parseDsn(put(text), n);
  const b = out(r)!;
  const k = u32[(r >> 2) + 2];
  const s = (from: number, to?: number) => dec.decode(b.subarray(from, to));
  return k ? { publicDsn: s(0, k), envelopeUrl: s(k), error: undefined, free() {} } : { publicDsn: undefined, envelopeUrl: undefined, error: s(0), free() {} };
}

/**
 * Defines on `Core` one getter per name: the export of that name called with the core's
 * handle, its result read by `as`.
 */
function facts(names: string, as: (r: number) => unknown): void {
  for (const k of names.split(" "))
    Object.defineProperty(Core.prototype, k, {
      get(this: { h: number }) {
        return as(x![k](this.h));
      },
      configurable: true,
    });
}
facts("dsnError disabledReason url release detail event subjects sessionError", str);
facts("category quantity reason", (r) => r);
facts("envelope", bytes);

interface Disposable {
  [key: symbol]: () => void;
}
if (typeof Symbol.dispose == "symbol") (Core.prototype as unknown as Disposable)[Symbol.dispose] = Core.prototype.free;

/** Unwraps `{ [key]: value }` (the object form of the init functions' argument). */
const arg = (v: any, key: string) => (v && Object.getPrototypeOf(v) === Object.prototype ? v[key] : v);

function ready(i: WebAssembly.Instance): Exports {
  return (x = i.exports as Exports);
}

/** Instantiates the wasm from a compiled module or its bytes (once: later calls return the exports). */
export function initSync(module?: { module: SyncInitInput } | SyncInitInput): Exports {
  if (x) return x;
  const m: SyncInitInput = arg(module, "module");
  return ready(new WebAssembly.Instance(m instanceof WebAssembly.Module ? m : new WebAssembly.Module(m as BufferSource), {}));
}

/** Instantiates the wasm (once: later calls return the exports) from a module, bytes, a fetch `Response`, or a URL to fetch (by default the wasm next to this file). */
export default async function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<Exports> {
  if (x) return x;
  let i = await (arg(module_or_path, "module_or_path") ?? new URL("./wasm/oxeye_bg.wasm", import.meta.url));
  if (typeof i == "string" || i instanceof URL || (typeof Request == "function" && i instanceof Request)) i = await fetch(i);
  if (typeof globalThis.Response == "function" && i instanceof globalThis.Response) i = await i.arrayBuffer();
  const r = await WebAssembly.instantiate(i as BufferSource, {});
  return x ?? ready("instance" in r ? r.instance : r);
}

/**
 * `OxeyeClient`: one explicit client object. It forwards every capture to the wasm core
 * in a single call, hands the resulting envelope to the transport, and keeps track of
 * what is in flight so `flush`/`close` can wait for it. Calls made before the core has
 * loaded are queued with their capture time and a pre-assigned event id, then run once
 * it is ready. No public method throws into the app.
 */
import type { EventHint, Options, SentryEvent, SeverityLevel, Transport } from "./types.js";
import { describeThrown } from "./thrown.js";
import { Delivery, within } from "./delivery.js";

/** What the core returns for one capture. */
export interface CaptureOutcome {
  eventId: string;
  envelope?: Uint8Array;
  reason?: string;
  detail?: string;
}

/** The core as the client uses it (the wasm `Core` class, or a fake in unit tests). */
export interface CoreInstance {
  readonly dsnError?: string;
  readonly disabledReason?: string;
  readonly url?: string;
  readonly version: string;
  capture(input: unknown, nowMs: number, random: Uint8Array): CaptureOutcome;
}

/** Makes a core for the given plain options. */
export type CoreFactory = (options: Record<string, unknown>) => CoreInstance;

/** What a runtime entry point supplies: how to load the core and what it defaults to. */
export interface Platform {
  runtime: "browser" | "node" | "workerd";
  loadCore(): CoreFactory | Promise<CoreFactory>;
  defaultTransport(): Transport;
  installHandlers?(client: OxeyeClient): () => void;
  handlersByDefault?: boolean;
}

interface CaptureInput {
  exception?: unknown;
  message?: string;
  level?: string;
  mechanism?: { type: string; handled?: boolean };
  event?: SentryEvent;
  timestamp: number;
  eventId?: string;
}

function random16(): Uint8Array {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return b;
}

/** A UUID v4 as 32 hex digits, for calls queued before the core can make one. */
function queuedEventId(): string {
  const b = random16();
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  let s = "";
  for (const x of b) s += (x < 16 ? "0" : "") + x.toString(16);
  return s;
}

function hintToEvent(hint?: EventHint): SentryEvent | undefined {
  if (!hint) return undefined;
  const ev: SentryEvent = {};
  for (const k of ["tags", "extra", "contexts", "user", "fingerprint"] as const) {
    if (hint[k] !== undefined) ev[k] = hint[k];
  }
  return Object.keys(ev).length ? ev : undefined;
}

const CORE_OPTIONS = ["dsn", "release", "environment", "debug", "enabled", "tunnel"] as const;

/** An oxeye client. Create one per request in Workers; browsers use the default client. */
export class OxeyeClient {
  /** The options the client was created with. */
  readonly options: Options;
  /** Resolves once the core has loaded (or failed to). */
  readonly ready: Promise<void>;
  private core?: CoreInstance;
  private loadError?: string;
  private queue: CaptureInput[] = [];
  private delivery: Delivery;
  private cleanups: Array<() => void> = [];
  private closed = false;

  constructor(options: Options, private platform: Platform) {
    this.options = { ...options };
    const transport: Transport = options.transport ?? platform.defaultTransport();
    this.delivery = new Delivery(transport, (m) => this.log(m));
    let loaded: CoreFactory | Promise<CoreFactory>;
    try {
      loaded = platform.loadCore();
    } catch (e) {
      loaded = Promise.reject(e);
    }
    if (typeof loaded === "function") {
      this.start(loaded);
      this.ready = Promise.resolve();
    } else {
      this.ready = loaded.then(
        (factory) => this.start(factory),
        (e) => this.failLoad(e),
      );
    }
  }

  /** Why the DSN was rejected (known once the core is ready), if it was. */
  get dsnError(): string | undefined {
    return this.core?.dsnError;
  }

  /** A sentence saying why the client sends nothing, or undefined when it is on. */
  get disabledReason(): string | undefined {
    return this.loadError ?? this.core?.disabledReason;
  }

  /** Captures an error (or anything thrown) and returns the event id. */
  captureException(exception: unknown, hint?: EventHint): string {
    try {
      return this.run({
        exception: describeThrown(exception),
        mechanism: hint?.mechanism ?? { type: "generic", handled: true },
        level: hint?.level,
        event: hintToEvent(hint),
        timestamp: Date.now(),
      });
    } catch (e) {
      return this.internalError("captureException", e);
    }
  }

  /** Captures a message and returns the event id. */
  captureMessage(message: string, level?: SeverityLevel): string {
    try {
      return this.run({ message: String(message), level, timestamp: Date.now() });
    } catch (e) {
      return this.internalError("captureMessage", e);
    }
  }

  /** Sends a whole event (fields missing are filled in) and returns its id. */
  captureEvent(event: SentryEvent): string {
    try {
      return this.run({ event: { ...event }, timestamp: Date.now() });
    } catch (e) {
      return this.internalError("captureEvent", e);
    }
  }

  /** Waits until everything captured so far is delivered; false when `timeoutMs` ran out first. */
  async flush(timeoutMs = 2000): Promise<boolean> {
    try {
      const deadline = Date.now() + Math.max(0, timeoutMs);
      if (!(await within(this.ready, deadline))) return false;
      return await this.delivery.drain(deadline);
    } catch (e) {
      this.internalError("flush", e);
      return false;
    }
  }

  /** Flushes, then stops capturing and removes global handlers. */
  async close(timeoutMs = 2000): Promise<boolean> {
    const done = await this.flush(timeoutMs);
    this.closed = true;
    for (const c of this.cleanups.splice(0)) {
      try {
        c();
      } catch {
        /* a handler that cannot be removed is left in place */
      }
    }
    return done;
  }

  /** Registers a function run by `close` (e.g. removing global handlers). */
  addCleanup(fn: () => void): void {
    this.cleanups.push(fn);
  }

  /** Debug logging: only when `debug` is on. */
  log(message: string): void {
    if (this.options.debug) {
      try {
        console.log(`[oxeye] ${message}`);
      } catch {
        /* no console */
      }
    }
  }

  private start(factory: CoreFactory): void {
    const plain: Record<string, unknown> = { runtime: this.platform.runtime };
    for (const k of CORE_OPTIONS) {
      const v = this.options[k];
      if (v !== undefined && v !== null) plain[k] = v;
    }
    this.core = factory(plain);
    const off = this.core.disabledReason;
    if (off) this.log(off);
    else this.log(`ready: sending to ${this.core.url}`);
    const queued = this.queue.splice(0);
    for (const input of queued) this.process(this.core, input);
  }

  private failLoad(e: unknown): void {
    this.loadError = `oxeye is disabled: the wasm core failed to load: ${e}`;
    this.log(`${this.loadError}; ${this.queue.length} queued event(s) were not sent`);
    this.queue.length = 0;
  }

  private run(input: CaptureInput): string {
    if (this.closed) {
      this.log("capture after close() ignored");
      return "";
    }
    if (this.core) return this.process(this.core, input);
    if (this.loadError) return "";
    input.eventId = queuedEventId();
    this.queue.push(input);
    return input.eventId;
  }

  private process(core: CoreInstance, input: CaptureInput): string {
    const out = core.capture(input, Date.now(), random16());
    if (out.envelope) {
      this.send(core, out.envelope, out.eventId);
    } else if (out.reason !== "disabled") {
      this.log(`event ${out.eventId} dropped (${out.reason}): ${out.detail}`);
    }
    return out.eventId;
  }

  private send(core: CoreInstance, body: Uint8Array, eventId: string): void {
    const url = core.url;
    if (url) this.delivery.send(url, body, { label: `event ${eventId}` });
  }

  private internalError(where: string, e: unknown): string {
    this.log(`internal error in ${where}: ${e}`);
    return "";
  }
}

/**
 * The engine: everything a client needs once it runs for real, kept off the browser's
 * critical path (browsers load it with a dynamic `import()` of `engine.ts`; Node and
 * Workers link it statically). It owns the client's core (behind trap recovery,
 * `corehost.ts`), turns queued calls into boundary calls (JSON text made by
 * `normalize.ts`, `ScopeOp` values, random bytes as many as `core.randomBytes`), runs the
 * host stages of the pipeline (`pipeline.ts`) and hands envelopes to delivery with the
 * category and count the core reports for them. What only some engines use comes in
 * `EngineParts`: `startEngine` (`engine.ts`) gives them all, Workers' bare engine gives
 * Spotlight only, so their bundle leaves the rest out.
 */
// The imports' order (type-only imports aside) is the order of the modules in the
// bundles: the order measured to compress best.
import { warnOnce } from "./warn.js";
import type { CaptureInput, CoreClass, CoreTraceHeaders, Engine, OxeyeClient, Platform } from "./client.js";
import type { Breadcrumb, Options, TraceData } from "./types.js";
import type { ScopeOpName } from "./scope.js";
import type { SpotlightMaker } from "../delivery/spotlight-lazy.js";
import type { SessionHost, PageViews, RequestAggregates } from "./sessions.js";
import type { deliveryOccasions } from "../delivery/occasions.js";
import type { Thrown } from "./thrown.js";
import { describeThrown } from "./thrown.js";
import { incomingOf, type IncomingTrace } from "./trace.js";
import { captureSite } from "./capture-site.js";
import { randomBytes } from "../core/ids.js";
import { coreHost, type CoreHost } from "./corehost.js";
import { cut, DEFAULT_NORMALIZE_DEPTH, MAX_KEY, normalize, normalizeEvent, toJson } from "./normalize.js";
import { hasHostStages, MAX_PENDING, filtersOf, runHostStages, type RegexFilters } from "./pipeline.js";
import { Category, Reason, ScopeOp, Verdict, wireName, type Core } from "../core/enums.js";
import { Delivery, numberOr, spotlightUrl, type DeliveryCore } from "../delivery/delivery.js";
import { offlineStoreFor, type DefaultStore } from "../delivery/offline.js";
import { dscOf, incomingParts, outgoingHeaders, traceLink } from "./trace-headers.js";
import { allSettled, keysOf, read, within } from "./guard.js";
import { debugIdsFor } from "../instrument/debug-ids.js";
import { wasmModulesFor } from "../instrument/wasm-images.js";
import { makeFetchTransport } from "../delivery/transport.js";
import { GENERIC_MECHANISM } from "./mechanism.js";
import { coreNumber, wellFormed } from "./options.js";
import { coreOptions } from "./core-options.js";

/** Capture input goes to the core as UTF-8 bytes (a native encode, not a copy per character). */
const UTF8 = new TextEncoder();
/** Capture input is encoded here when it surely fits (the core copies it at once). */
const inputBytes = new Uint8Array(32 * 1024);

/**
 * The capture input as the core takes it: `json`, then each of `stacks` after a 0xFF byte
 * (which UTF-8 never holds), as UTF-8 (at most 3 bytes per UTF-16 unit): a view of
 * `inputBytes`, or a fresh array.
 */
function utf8(json: string, stacks: string[]): Uint8Array {
  const cap = stacks.reduce((c, s) => c + s.length + 1, json.length) * 3;
  const b = cap > inputBytes.length ? new Uint8Array(cap) : inputBytes;
  let at = UTF8.encodeInto(json, b).written!;
  for (const s of stacks) (b[at] = 255), (at += 1 + UTF8.encodeInto(s, b.subarray(at + 1)).written!);
  return b.subarray(0, at);
}

/** The levels Sentry's breadcrumbs may have. */
const CRUMB_LEVELS = ["fatal", "error", "warning", "info", "debug"];
/** Most breadcrumbs an event has (Sentry's limit; `maxBreadcrumbs` may ask for fewer). */
const MAX_CRUMBS = 100;
/** A breadcrumb's members that Sentry reads as text only. */
const CRUMB_TEXTS = ["message", "category", "type"] as const;

/** The keys of `initialScope`, in order, with the setter of each (`contexts`: one `SetContext` per key). */
const INITIAL_SCOPE: Array<[string, ScopeOpName | ""]> = [
  ["tags", "SetTags"],
  ["extra", "SetExtras"],
  ["contexts", ""],
  ["user", "SetUser"],
  ["level", "SetLevel"],
  ["fingerprint", "SetFingerprint"],
];

/**
 * Moves every stack string of a thrown value, its causes and aggregate members into
 * `all`, leaving its index there in its place (the stacks go to the core after the
 * JSON, not in it: see `utf8`); `near` gets those at most 20 links deep too (the files
 * whose debug images are looked up).
 */
function takeStacks(t: Thrown, all: string[], near: string[], depth = 0): void {
  const take = (s: string) => (depth > 20 || near.push(s), all.push(s) - 1);
  if (t.stack) t.stack = take(t.stack as string);
  if (t.syntheticStack) t.syntheticStack = take(t.syntheticStack as string);
  if (t.cause) takeStacks(t.cause, all, near, depth + 1);
  for (const e of t.errors ?? []) takeStacks(e, all, near, depth + 1);
}

/** A core and what it answers the same way for its whole life (`ClientEngine.#factsOf`). */
type CoreFacts = [core: Core, random: number, url: string | undefined];

/**
 * What only some engines can use, handed over by the function that starts them, so that a
 * bundle which never starts such an engine leaves the code out.
 */
export interface EngineParts {
  /** The store made when the app passes none (IndexedDB). */
  store?: DefaultStore;
  /** Says why there is no such store (no IndexedDB). */
  noStore?: (log: (message: string) => void) => void;
  /** Browser page-view sessions. */
  pageViews?: PageViews;
  /** Makes the sink of the `spotlight` option (a lazy chunk where the platform has `parts`: `lazySpotlight`). */
  spotlight?: SpotlightMaker;
  /** The report timer, the page being hidden and the network coming back, for delivery (Workers have none). */
  occasions?: typeof deliveryOccasions;
  /** Sends what the tab's previous page left unsent, or drops it (`discard`; browsers). */
  unsent?: (client: OxeyeClient, discard?: boolean) => void;
}

/**
 * A client's engine. Made with no `EngineParts` it is the bare engine: no automatic
 * instrumentation, IndexedDB store, page-view sessions, report timer, page-hide hook or
 * Spotlight (an app's own `offline.store` is still used). The constructor throws only
 * when the first core cannot be made.
 */
export class ClientEngine implements Engine {
  #host: CoreHost;
  declare private delivery: Delivery;
  #filters: RegexFilters;
  private pending = 0;
  #depth: number;
  #work = new Set<Promise<void>>();
  /** How session code (page views, request aggregates) reaches the core and delivery. */
  #sessions: SessionHost;
  /** Request-mode sessions, where the platform supplies them (servers). */
  #requests?: RequestAggregates;
  /** Counts a server request's end in the request-mode sessions (none in browsers: their platform supplies none). */
  declare recordRequestSession?: RequestAggregates["record"];
  /** Set while browser page-view sessions run: sends the session update after each event sent (`true`), starts a session on navigation. */
  declare navigated?: (eventSent?: boolean | null) => void;
  /**
   * Drops made here and not yet handed to the core, by reason: `[RatelimitBackoff,
   * QueueOverflow]` error events (early drops, captures beyond `MAX_PENDING`, captures lost
   * before the core was ready). A storm's drops are counted here, with no call into the
   * core each; they go to the core before each client report is taken (`deliveryCore`).
   */
  #shedCounts = [0, 0];
  /** `debug` as resolved (`options.ts`): the options do not change. */
  declare debug: boolean;
  #environment: string;
  /** One sentence per option value rejected (`options.ts`), in the order the settings are read. */
  declare optionErrors: string[];
  /** Why the `scrub` option was rejected (`scrub-check.ts`): the client then sends nothing. */
  declare scrubError: string | undefined;

  #client: OxeyeClient;
  #platform: Platform;
  #parts: EngineParts;
  /** Breadcrumbs not yet written to the core, with their times, per scope id (`addBreadcrumb`). */
  #crumbs = new Map<number, [Breadcrumb, number][]>();
  #maxCrumbs: number;

  constructor(
    client: OxeyeClient,
    CoreCtor: CoreClass,
    platform: Platform,
    /** What only some engines use (none for the bare engine). */
    parts: EngineParts,
  ) {
    this.#client = client;
    this.#platform = platform;
    this.#parts = parts;
    const defaultStore = parts.store;
    const options = client.options;
    const spotlight = options.spotlight && parts.spotlight;
    const [resolved, optionErrors] = coreOptions(options, platform);
    // A `scrub` that is not valid goes to the core as a value it refuses: it is then disabled.
    if ((this.scrubError = platform.checkScrub?.(resolved.scrub, wellFormed, coreNumber))) resolved.scrub = 0;
    const json = JSON.stringify(resolved);
    this.optionErrors = optionErrors;
    this.#environment = resolved.environment as string;
    const log = (m: string) => client.log(m);
    this.#host = coreHost(
      new CoreCtor(json),
      (attempt) => Promise.resolve(platform.loadCore(attempt, options)).then((C) => new C(json)),
      log,
    );
    // `normalizeDepth`: the option when it is a sane number, else Sentry's 3.
    const depth = options.normalizeDepth;
    this.#depth = Math.min(Math.floor(numberOr(depth, DEFAULT_NORMALIZE_DEPTH)), 20);
    this.#maxCrumbs = Math.min(numberOr(resolved.maxBreadcrumbs, MAX_CRUMBS), MAX_CRUMBS);
    this.#filters = filtersOf(options, true);
    const offline = options.offline;
    const transport = typeof options.transport == "function" ? options.transport : makeFetchTransport({ browser: platform.runtime === "browser", fetch: platform.fetch });
    this.delivery = new Delivery(
      transport,
      log,
      options,
      platform.runtime,
      // Made only where a store can exist: IndexedDB, or a store the app passed. The module
      // is linked with the engine (browsers want it by default: a chunk of its own would
      // cost a request after the engine's, before the first send, and more bytes).
      offline !== false && ((typeof offline === "object" && offline?.store) || (defaultStore && (typeof (globalThis as { indexedDB?: unknown }).indexedDB !== "undefined" || void parts.noStore?.(log))))
        ? async () => offlineStoreFor(options.offline, defaultStore)
        : undefined,
      spotlight ? spotlight(spotlightUrl(options.spotlight), (t) => console.warn(`[oxeye] ${t}`), log) : undefined,
    );
    this.#sessions = {
      // The core host's `call` is a closure (no `this`).
      call: this.#host.call,
      send: (body, label, category, quantity) => {
        const url = this.#fact("url");
        if (url) this.delivery.send(url, body, label, category, quantity);
      },
      log,
    };
    const core = this.#host.live!;
    this.debug = !!resolved.debug;
    // A bad option is said on the console, debug or not (once per process for each).
    for (const e of optionErrors) warnOnce(e, e);
    // Off as the core resolved the options (an invalid DSN or `scrub`, an environment
    // whose defaults turn it off): the client knows, so its captures give no id.
    const off = this.disabledReason;
    if (off) log((client.loadError = off));
    else {
      log(`ready: sending to ${core.url} (environment ${this.#environment})`);
      this.delivery.attach(this.deliveryCore(), parts.occasions?.(options));
      // Request-mode sessions, where the platform supplies them, for an enabled core only
      // (a disabled one records none).
      this.recordRequestSession = (this.#requests = platform.requestSessions?.(this.#sessions, client, this.#work))?.record;
    }
  }

  // ---- facts -------------------------------------------------------------------

  /** A fact of the core, through trap recovery. */
  #fact<K extends "dsnError" | "disabledReason" | "url" | "sessionError">(name: K, fallback?: Core[K]): Core[K] {
    return this.#host.call(name, (c) => c[name], fallback as Core[K]);
  }
  get dsnError(): string | undefined {
    return this.#fact("dsnError");
  }
  get disabledReason(): string | undefined {
    // The core names a bad DSN first, then a bad `scrub` (in its own words: see above).
    return this.#host.deadReason ?? (this.scrubError && !this.dsnError ? "oxeye is disabled: " + this.scrubError : this.#fact("disabledReason"));
  }
  /** The environment as resolved, while a core is live. */
  get environment(): string | undefined {
    return this.#host.live && this.#environment;
  }

  // ---- captures ------------------------------------------------------------------

  capture(input: CaptureInput, checked?: boolean, queued?: boolean): void {
    if (queued) this.#platform.early?.link?.(input, input.hint, this.#client);
    if (!checked && this.dropEarly(input.eventId, input.exception && input, input.scopes)) return;
    const handBack = hasHostStages(this.#filters, input.processors, this.#client.options.beforeSend);
    if (handBack && this.pending >= MAX_PENDING) {
      this.#shedCounts[1]++;
      this.#logDrop(input.eventId, Reason.QueueOverflow, `${MAX_PENDING} events are already in event processors or beforeSend`);
      if (input.exception) this.#countInSession(input, input.scopes);
      return;
    }
    // An exception while the page is hidden (a background timer's) counts in a session that
    // starts for it, as a crash needs none to have started before.
    if (input.exception) this.navigated?.(null);
    const stacks: string[] = [];
    const json = this.#inputJson(input, stacks);
    this.#writeCrumbs(input.scopes);
    this.#host.run("capture", (core) => {
      // The scopes as the core takes them: current, isolation, global.
      const verdict = core.capture(utf8(json, stacks), ...input.scopes, Date.now(), randomBytes(this.#factsOf(core)[1]), handBack);
      this.#after(core, verdict, input.eventId, input);
    });
  }

  /**
   * Drops a capture before anything is read, normalised or built (pipeline step 2, done
   * here so a storm costs no JSON and no call into the event builder): when errors are
   * rate limited by the server (RatelimitBackoff, asked of delivery's `limits`), else when
   * delivery's send buffer is full or its events-per-minute budget is spent
   * (QueueOverflow). Counted as one error event, in `shedCounts`. An exception's capture
   * (`error`: its hint or input, for `level` and `mechanism.handled`) still counts in the
   * session of its `scopes` (by default the client's), as an error a transport drops does
   * in Sentry's SDKs: a crash during a quota's outage is still a crash.
   */
  dropEarly(eventId: string, error?: object, scopes?: number[]): boolean {
    // The server's limit first: it is the more telling reason when both apply.
    const limited = this.delivery.limits.isLimited(Category.Error, Date.now());
    const why = limited ? "errors are rate limited" : this.delivery.full;
    if (!why) return false;
    this.#shedCounts[limited ? 0 : 1]++;
    if (this.debug) this.#logDrop(eventId, limited ? Reason.RatelimitBackoff : Reason.QueueOverflow, why);
    if (error) this.#countInSession(error, scopes);
    return true;
  }

  /** Sessions cannot be sent (no release): read once, at the first error dropped early. */
  #noSessions?: boolean;
  /** An error dropped before it was built counts in the session (`dropEarly`); nothing to do without sessions. */
  #countInSession(error: object, scopes?: number[]): void {
    const client = this.#client;
    if (client.options.autoSessionTracking === false || (this.#noSessions ??= !!this.#fact("sessionError"))) return;
    const [current, isolation] = scopes ?? [client.getCurrentScope().id, client.getIsolationScope().id];
    const level = read(error, "level");
    const json = JSON.stringify({ exception: 0, level: typeof level == "string" ? level : undefined, mechanism: { handled: read(read(error, "mechanism"), "handled") !== false } });
    this.navigated?.(null);
    // (`Send`: the page's session changed, and its update goes now.)
    this.#host.run("capture", (core) => core.capture(utf8(json, []), current, isolation, 0, Date.now(), new Uint8Array(), 2) == Verdict.Send && this.navigated?.(true));
  }

  /** The contract's CaptureInput JSON for one queued capture; its exception's stacks are put in `stacks`. */
  #inputJson(input: CaptureInput, stacks: string[]): string {
    const out: Record<string, unknown> = { eventId: input.eventId, timestamp: input.timestamp };
    if (typeof input.level === "string") out.level = input.level;
    if (input.message != null) out.message = input.message;
    if (input.exception) {
      const thrown = describeThrown(input.exception.value);
      if (thrown.kind !== "error" && input.exception.syntheticStack) thrown.syntheticStack = captureSite(input.exception.syntheticStack);
      out.exception = thrown;
      // Debug images of the files in the stacks (source maps by debug id, wasm modules).
      const near: string[] = [];
      takeStacks(thrown, stacks, near);
      const ids = debugIdsFor(near, input.debugIdMap);
      if (ids) out.debugIds = ids;
      const wasm = wasmModulesFor(this.#platform.wasmModules, near);
      if (wasm) out.wasm = wasm;
      out.sources = this.#platform.sourceLines?.(stacks, this.#client.options, thrown);
    }
    const mechanism = input.mechanism;
    // (An exception captured with no mechanism of its own gets the generic one, as it is.)
    if (mechanism || input.exception) out.mechanism = mechanism ? normalize(mechanism) : GENERIC_MECHANISM;
    if (input.event) out.event = normalizeEvent(input.event, this.#depth);
    if (input.url) out.url = input.url;
    // The request's trace as parts (ids, DSC); none when its `sentry-trace` does not parse.
    if (input.trace) out.trace = traceLink(normalize(input.trace));
    // `exception` is already bounded by thrown.ts; the rest by the normaliser.
    try {
      return JSON.stringify(out);
    } catch {
      return JSON.stringify({ eventId: input.eventId, timestamp: input.timestamp, message: "[unreadable capture]" });
    }
  }

  /**
   * What a core answers the same way for its whole life (its envelope URL and the random
   * bytes a capture needs), asked once per core instance instead of once per capture.
   */
  #factsOf(core: Core): CoreFacts {
    if (this.#facts?.[0] !== core) this.#facts = [core, core.randomBytes, core.url];
    return this.#facts;
  }
  #facts?: CoreFacts;

  /** Acts on a verdict: deliver, log a drop, or run the host stages (of `input`, when given). */
  #after(core: Core, verdict: Verdict, eventId: string, input?: CaptureInput): void {
    if (verdict === Verdict.Send) {
      const body = core.envelope;
      const url = this.#factsOf(core)[2];
      if (body && url) this.delivery.send(url, body, `event ${eventId}`, core.category, core.quantity);
      this.navigated?.(true);
    } else if (verdict === Verdict.Drop) {
      const reason = core.reason;
      if (reason !== Reason.Disabled) this.#logDrop(eventId, reason, core.detail);
      // Sampled out, the event still counts in the page's session: its update goes now.
      if (reason === Reason.SampleRate) this.navigated?.(true);
    } else if (verdict === Verdict.Host && input) this.#hostStages(core, input);
  }

  /** Explains in the debug log why event `id` was dropped, naming the reason as client reports do. */
  #logDrop(id: string, reason: Reason, why: unknown): void {
    this.#client.log(`event ${id} dropped (${wireName(Reason, reason)}): ${why}`);
  }

  #hostStages(core: Core, input: CaptureInput): void {
    const eventJson = core.event;
    if (eventJson == null) return;
    const id = input.eventId;
    this.pending++;
    const drop = (reason: Reason, why: unknown) => {
      this.#host.run("dropPending", (c) => c.dropPending(id, reason));
      this.#logDrop(id, reason, why);
    };
    const task = runHostStages(eventJson, core.subjects, this.#filters, input.processors, this.#client.options.beforeSend, input.hint, this.#depth, (m) => this.#client.log(`event ${id}: ${m}`))
      .then(([send, dropped, detail]) => {
        if (dropped) drop(Reason[dropped], detail);
        // A limit that came while the host stages ran: nothing is sealed.
        else if (this.delivery.limits.isLimited(Category.Error, Date.now())) {
          drop(Reason.RatelimitBackoff, "errors are rate limited by the server");
          if (input.exception) this.#countInSession(input, input.scopes);
        }
        else {
          const text = toJson(send, { depth: 64, maxBytes: 4 * 1024 * 1024 });
          this.#host.run("finish", (c) => this.#after(c, c.finish(id, text, Date.now()), id));
        }
      })
      .catch((e) => drop(Reason.InternalSdkError, e))
      .finally(() => {
        this.pending--;
        this.#work.delete(task);
      });
    this.#work.add(task);
  }

  adopt(): void {
    const client = this.#client;
    // Closed before its core came (a user who declined at once): it starts nothing, and
    // what was queued is dropped; closed with `discard`, what the offline store keeps goes too.
    if (client.closed) {
      client.log(`closed before its core loaded: ${client.queue.splice(0).length} call(s) made before are dropped`);
      // (Its delivery, attached as the engine was made, sends nothing kept offline either.)
      if (client.discarding) void this.discard().catch(() => {});
      else this.close();
      return;
    }
    const dsnError = client.options.enabled === false ? undefined : this.dsnError;
    if (dsnError) client.fail(`the DSN is invalid (${dsnError})`, client.queuedCaptures + client.lost);
    const n = client.lost;
    if (n) {
      this.#shedCounts[1] += n;
      client.log(`${n} capture(s) made before the core was ready were dropped (${wireName(Reason, Reason.QueueOverflow)}): the queue was full`);
    }
    // `initialScope` goes to the client's isolation scope, then the platform's incoming
    // trace (a page's `<meta>` tags, read now), before the calls made since the client was
    // created.
    const isolation = client.getIsolationScope().id;
    const init = read(client.options, "initialScope");
    if (init && typeof init === "object") {
      for (const [k, op] of INITIAL_SCOPE) {
        const v = read(init, k);
        if (op) {
          if (v) client.scopeSet(isolation, op, undefined, v);
        } else if (v && typeof v === "object") for (const name of keysOf(v)) client.scopeSet(isolation, "SetContext", name, read(v, name));
      }
    }
    try {
      // (From the random bytes of the ids the loader's requests already carried, when they did.)
      const incoming = this.#platform.incomingTrace?.(client);
      const seed = this.#platform.early?.seed;
      if (incoming || seed) this.continueTrace(isolation, incoming ?? {}, seed);
    } catch {
      /* no incoming trace */
    }
    this.#parts.unsent?.(client);
    // The page's session starts once the user the app set before the first capture is known
    // (its first update carries it as `did`), and before that capture (which it counts).
    let sessions = !client.wantSessions;
    for (const op of client.queue.splice(0)) {
      if (!sessions && op.capture) {
        this.startSessions();
        sessions = true;
      }
      try {
        op(this);
      } catch (e) {
        client.log(`internal error in queued call: ${e}`);
      }
    }
    if (!sessions) this.startSessions();
  }

  // ---- scopes ----------------------------------------------------------------------

  scopeSet(id: number, op: ScopeOpName, key: string | undefined, value: unknown): void {
    // The key as text (the app may hand anything), first.
    if (key !== undefined) {
      try {
        key = cut(String(key), MAX_KEY);
      } catch {
        key = "[unreadable key]";
      }
    }
    const code = ScopeOp[op];
    if (code == null) return;
    if (op.startsWith("Clear")) this.#crumbs.delete(id);
    // `normalizeDepth` counts from the container, as Sentry's does: `setExtras(o)` and
    // `setUser(u)` give the container, `setExtra(k, v)` and `setContext(k, v)` an entry
    // of it, one level below (`extra.k.a` is the deepest object kept at 3).
    const depth = op === "SetTag" || op === "SetLevel" || op === "SetTransactionName" ? 1 : op === "SetExtra" || op === "SetContext" ? this.#depth - 1 : this.#depth;
    const json = value === undefined || value === null ? "null" : toJson(value, { depth });
    this.#host.run(op, (c) => c.scopeSet(id, code, key, json));
  }

  /**
   * Keeps a breadcrumb of scope `id` until a capture or a fork of that scope needs it: only
   * the newest `maxBreadcrumbs` of each scope are kept (the core keeps no more), so they are
   * the only ones ever normalised, scrubbed and written (a page that logs 10,000 lines pays
   * for its last 100). What they hold is read then, as Sentry's SDKs read it when they send.
   */
  addBreadcrumb(id: number, crumb: Breadcrumb, atMs: number): void {
    let list = this.#crumbs.get(id);
    if (!list) this.#crumbs.set(id, (list = []));
    if (list.push([crumb, atMs]) > this.#maxCrumbs) list.shift();
  }

  /** Writes the kept breadcrumbs of scopes `ids` into the core. */
  #writeCrumbs(ids: number[]): void {
    for (const id of ids) {
      const list = this.#crumbs.get(id);
      if (!list) continue;
      this.#crumbs.delete(id);
      for (let [crumb, atMs] of list) {
        // A breadcrumb's level is one of Sentry's five (Bugsink refuses a whole event for
        // any other; Relay reads them as `info`): `warn` and `critical` as their names, the
        // rest (`log`, which consoles and the SDK's `SeverityLevel` have) as `info`.
        const level = crumb.level as unknown;
        if (level !== undefined && !CRUMB_LEVELS.includes(level as string)) crumb = { ...crumb, level: level == "warn" ? "warning" : level == "critical" ? "fatal" : "info" };
        // Relay drops a `message`, `category` or `type` that is not a string: sent as its text.
        for (const k of CRUMB_TEXTS) {
          const v = crumb[k] as unknown;
          if (v != null && typeof v != "string") crumb = { ...crumb, [k]: typeof v == "object" || typeof v == "function" ? toJson(v, { depth: this.#depth }) : String(v) };
        }
        const json = toJson(crumb, { depth: this.#depth + 1, maxBytes: 64 * 1024 });
        this.#host.run("addBreadcrumb", (c) => c.addBreadcrumb(id, json, atMs));
      }
    }
  }

  forkScope(from: number, to: number): void {
    this.#writeCrumbs([from]);
    this.#host.run("forkScope", (c) => c.forkScope(from, to));
  }

  dropScope(id: number): void {
    this.#crumbs.delete(id);
    this.#host.run("dropScope", (c) => c.dropScope(id));
  }

  // ---- traces ----------------------------------------------------------------------

  continueTrace(id: number, headers: IncomingTrace, random?: Uint8Array): void {
    this.#host.run("continueTrace", (c) => {
      const [sentryTrace, baggage, traceparent] = incomingOf(headers);
      const p = incomingParts(sentryTrace, traceparent);
      const dsc = p && dscOf(baggage);
      return c.continueTrace(id, p?.traceId, p?.spanId, p?.sampled, dsc && JSON.stringify(dsc), random ?? randomBytes(c.randomBytes));
    });
  }

  traceHeaders(existingBaggage: string | undefined, isolation: number): CoreTraceHeaders | undefined {
    return this.#host.call("traceHeaders", (c) => {
      const parts = c.traceHeaders(isolation, randomBytes(c.randomBytes));
      return parts == null ? undefined : outgoingHeaders(JSON.parse(parts), existingBaggage);
    });
  }

  traceData(isolation: number): TraceData | undefined {
    const h = this.traceHeaders(undefined, isolation);
    if (!h) return undefined;
    const out: TraceData = { "sentry-trace": h.sentryTrace, baggage: h.dscBaggage };
    if (this.#client.options.propagateTraceparent === true) out.traceparent = h.traceparent;
    return out;
  }

  // ---- lifecycle ---------------------------------------------------------------------

  startSessions(): void {
    this.navigated ||= this.#parts.pageViews?.(this.#sessions, this.#client, this);
  }

  async flush(deadline: number): Promise<boolean> {
    await this.delivery.storeReady();
    let settled = true;
    while (settled && this.#work.size) settled = await within(allSettled(this.#work), deadline);
    // The request aggregates after the work, which may still count requests.
    this.#requests?.flush();
    if (settled && (await this.delivery.drain(deadline))) return true;
    this.#client.log("flush: not everything was delivered in time (it goes on in the background)");
    return false;
  }

  close(): void {
    this.delivery.close();
  }

  discard(): Promise<void> {
    this.#parts.unsent?.(this.#client, true);
    return this.delivery.discard(this.deliveryCore().url);
  }

  /** Delivery's view of the core: every call through trap recovery. */
  private deliveryCore(): DeliveryCore {
    const h = this.#host;
    return {
      get url() {
        return h.call("url", (c) => c.url);
      },
      recordOutcome: (reason, category, quantity) => h.run("recordOutcome", (c) => c.recordOutcome(reason, category, quantity)),
      takeClientReport: (now) => {
        const shed = this.#shedCounts;
        this.#shedCounts = [0, 0];
        h.run("takeClientReport", (c) => shed.forEach((n, i) => n && c.recordOutcome(i ? Reason.QueueOverflow : Reason.RatelimitBackoff, Category.Error, n)));
        return h.call("takeClientReport", (c) => c.takeClientReport(now));
      },
    };
  }
}

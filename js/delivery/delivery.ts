/**
 * Delivery: everything between a built envelope and the server's answer. It never
 * throws, never blocks the app, and accounts for every envelope it is handed: delivered,
 * kept offline, or counted in a client report with the reason it was not sent.
 *
 * - A bounded buffer: at most `bufferSize` envelopes waiting or in flight, and as many
 *   session envelopes beside them; more are dropped as `queue_overflow`. At most 6 requests run at a time (what browsers allow
 *   per host), and a request's timeout starts when it runs: it measures the server, not
 *   a queue in the browser, so a slow queue does not turn delivered envelopes into
 *   timeouts that are sent again.
 * - Every response is read (200 included) by the client's {@link RateLimits}
 *   (`rate-limits.ts`: the server's rate limits, and what the status means); items in a
 *   rate-limited category are dropped as `ratelimit_backoff` before they are sent, and no
 *   client report is taken while a limit covers client reports (the counts wait).
 * - Network errors, timeouts and 5xx are retried a bounded number of times with
 *   exponential backoff and jitter; 4xx, 413 and 429 never are. A final 4xx/5xx is a
 *   `send_error` (413 is logged as too large); a 429 is not reported (the server counts
 *   it). A final network failure is kept offline when a store is available, else a
 *   `network_error`.
 * - Session updates and aggregates are sent once when the request itself fails (network
 *   error or timeout): the server may have them already (Chromium can lose the answer to
 *   a keepalive request the server got), and a copy would count a crash or a request
 *   twice (sessions are not deduplicated by id). Such a failure is a `network_error`; a
 *   5xx is retried as for any envelope.
 * - Client reports leave in batches: on `flush`, when the page is hidden and every
 *   `clientReportFlushInterval` ms. A report that fails (network, 5xx, 429, or a rate
 *   limit) is not reported itself; its bytes are kept (at most `MAX_KEPT_REPORTS`) and sent
 *   again, stamped afresh, at the next occasion. Only a report the server refuses as
 *   invalid (another 4xx) is dropped.
 * - Every envelope's data category and item count come from the core next to its bytes.
 *   `sent_at` is stamped on every attempt (`stampSentAt`, sent-at.ts), the one read of its bytes.
 * - Offline: kept envelopes are sent at start, on the browser's `online` event and after
 *   the next successful send.
 * - Spotlight gets a fire-and-forget copy of every envelope.
 *
 * The core stays timer-free: retry delays and the report interval are timers here, and
 * the report interval never keeps Node alive.
 */
import type { OfflineStore, Options, StoredEnvelope, Transport, TransportResponse } from "../api/types.js";
import { Category, Reason, wireName } from "../core/enums.js";
import { RateLimits, Response } from "./rate-limits.js";
import { maybeOnline } from "./lifecycle.js";
import { warnOnce } from "../api/warn.js";
import { stampSentAt } from "./sent-at.js";
import { eventBudget, type EventBudget } from "./event-budget.js";
// (A retry's wait and a request's deadline do not keep Node running: a process with nothing
// else to do reaches `beforeExit`, whose `close` sends what waits at once, within its bound.)
import { allSettled, unref, within } from "../api/guard.js";
import { BROWSER_EVENTS_PER_MINUTE, DELIVERY_DEFAULTS, MAX_CONCURRENT_REQUESTS, MAX_KEPT_REPORTS, MAX_REPORTS_IN_FLIGHT, REPLAY_BATCH, UNLOAD_GRACE_MS, header, numberOr, type DeliveryCore, type SpotlightSink } from "./delivery-settings.js";

export { within };
export { DELIVERY_DEFAULTS, MAX_CONCURRENT_REQUESTS, MAX_KEPT_REPORTS, REPORT_INTERVAL, SPOTLIGHT_URL, numberOr, spotlightUrl } from "./delivery-settings.js";
export type { DeliveryCore, SpotlightSink } from "./delivery-settings.js";


/** When an attempt in flight is given up (Unix ms), what giving up does, and whether it has ended. */
type Deadline = [at: number, expire: () => void, done: boolean];

interface Job {
  url: string;
  body: Uint8Array;
  label: string;
  category: Category;
  quantity: number;
  /** A client report: never counted itself; restored to the core when it fails. */
  report: boolean;
  /**
   * May use `keepalive`. Events always may. Client reports only when the page is going
   * away: Chromium has been seen to drop the answer to a keepalive request the server did
   * get, and a report sent twice would count its drops twice.
   */
  keepalive: boolean;
  /** The offline store's entry this job sends, removed from the store once the job ends. */
  stored?: StoredEnvelope;
}

const STORED = "stored envelope";

/**
 * What tells delivery when to act beyond its own sends (`attach`): given the delivery, what
 * to do when the page is leaving (`leaving`) and when the network is back (`back`), it sets
 * up its timers and listeners and answers the functions that remove them.
 */
export type DeliveryOccasions = (d: Delivery, leaving: (left: boolean) => void, back: () => void, shown: () => void) => Array<() => void>;

export class Delivery {
  /** The rate limits the server announced to this client (read by the engine too). */
  readonly limits = new RateLimits();
  #inflight = new Set<Promise<void>>();
  #core?: DeliveryCore;
  // The transport options in use (`transportOptions`, else `DELIVERY_DEFAULTS`).
  #bufferSize: number;
  #maxRetries: number;
  #retryBaseMs: number;
  #retryMaxMs: number;
  #timeoutMs: number;
  #sendReports: boolean;
  #store?: OfflineStore;
  #storeLoading?: Promise<void>;
  #keptReports: Uint8Array[] = [];
  /** True unless a take came back short: the store may hold envelopes. */
  #storeMayHaveEntries = true;
  #replaying = false;
  #spotlight?: SpotlightSink;
  #wakers = new Set<() => void>();
  /** Deadlines of attempts in flight, oldest first, and the one timer that serves them. */
  #deadlines: Deadline[] = [];
  #liveDeadlines = 0;
  #deadlineTimer?: ReturnType<typeof setTimeout>;
  #cleanups: Array<() => void> = [];
  /** Jobs waiting or in flight: events (and the rest), sessions (a buffer of their own), reports. */
  #jobs = [0, 0, 0];
  #running = 0;
  #budget: EventBudget;
  #waitingForSlot: Array<() => void> = [];
  /**
   * The page's Content-Security-Policy refuses requests to this client's server (set by
   * the page's occasions): what fails is counted as `send_error`, neither retried nor kept
   * offline, since this page can never send it.
   */
  refused?: boolean;

  /** Where envelopes go (the DSN's endpoint, or the tunnel), once the core is up. */
  get url(): string | undefined {
    return this.#core?.url;
  }
  #closed = false;
  /** `discard` was called: nothing more is sent or kept. */
  #discarded = false;
  /** Envelopes being written to the offline store (`#keep`): `discard` waits for them. */
  #keeping = new Set<Promise<void>>();
  /** The page has been hidden once: requests no longer wait for one of the six slots. */
  #leaving = false;
  /**
   * The page has been left (`pagehide`): Chromium then fails the promise of a keepalive
   * request in flight while the browser still sends it, so such a failure is no failure.
   */
  #left = false;
  /** In a browser (nothing keeps a process alive; `keepalive` requests outlive the page). */
  #page: boolean;

  #transport: Transport;
  #log: (message: string) => void;

  constructor(
    transport: Transport,
    log: (message: string) => void,
    options: Options,
    runtime: string,
    /** Makes the offline store; given only when one is enabled. */
    offline?: () => Promise<OfflineStore | undefined>,
    /** Posts copies to Spotlight; given only when it is enabled. */
    spotlight?: SpotlightSink,
  ) {
    this.#transport = transport;
    this.#log = log;
    this.#page = runtime === "browser";
    const t = options.transportOptions ?? {};
    /** A transport option, else its default. */
    const opt = (k: "bufferSize" | "maxRetries" | "retryBaseMs" | "retryMaxMs" | "timeoutMs") => numberOr(t[k], DELIVERY_DEFAULTS[k]);
    this.#bufferSize = Math.max(1, Math.floor(opt("bufferSize")));
    this.#maxRetries = Math.floor(opt("maxRetries"));
    this.#retryBaseMs = opt("retryBaseMs");
    this.#retryMaxMs = opt("retryMaxMs");
    this.#timeoutMs = opt("timeoutMs");
    this.#budget = eventBudget(
      t.maxEventsPerMinute === Infinity ? Infinity : Math.max(1, numberOr(t.maxEventsPerMinute, runtime === "browser" ? BROWSER_EVENTS_PER_MINUTE : Infinity)),
    );
    this.#sendReports = options.sendClientReports !== false;
    if (offline) {
      this.#storeLoading = offline().then(
        (store) => {
          this.#store = store;
          this.#replay();
        },
        (e) => log(`offline storage unavailable: ${e}`),
      );
    }
    this.#spotlight = spotlight;
  }

  /** Envelopes handed over and not yet settled (waiting, in flight, or being stored). */
  get pending(): number {
    return this.#inflight.size;
  }

  /**
   * Why another error event would be a `queue_overflow` (for the debug log), or undefined
   * when it would not: the send buffer holds `bufferSize` events, or this minute's
   * `maxEventsPerMinute` are spent.
   */
  get full(): string | undefined {
    return this.#jobs[0] >= this.#bufferSize
      ? "the send buffer is full"
      : this.#budget(Date.now())
        ? undefined
        : "maxEventsPerMinute error events were sent in the last minute";
  }

  /**
   * Connects the core once it is ready and starts replay; with `occasions` (browsers and
   * Node: `deliveryOccasions`; Workers give none, having no page and no timer that outlives
   * a request) the report timer, the hurry and last report when the page is hidden, and
   * replay when the network comes back.
   */
  attach(core: DeliveryCore, occasions?: DeliveryOccasions): void {
    // (The engine attaches its delivery as it is made, before anything can close it.)
    this.#core = core;
    if (occasions) {
      this.#cleanups.push(
        ...occasions(
          this,
          (left) => {
            this.#left ||= left;
            this.#hurry();
            this.sendClientReport(true);
          },
          () => this.#replay(),
          // Shown again (also from the back/forward cache): the page's own requests again.
          () => (this.#left = this.#leaving = false),
        ),
      );
    }
    // (`#replay` does nothing without a store.)
    this.#replay();
  }

  /** Sends envelopes kept offline if there may be some (the report timer's tick: a server that failed may be back). */
  replayKept(): void {
    if (this.#storeMayHaveEntries) this.#replay();
  }

  /** What to await until the offline store (when enabled) is there: undefined without one. */
  storeReady(): Promise<void> | undefined {
    return this.#storeLoading;
  }

  /**
   * Sends one envelope to `url` in the background. `label` names it in log lines (e.g.
   * `event 1234…`); its data category and item count are the core's (`core.category` /
   * `core.quantity`).
   */
  send(url: string, body: Uint8Array, label: string, category: Category, quantity: number): void {
    if (this.#discarded) return;
    if (category === Category.Error) this.#budget(Date.now(), true);
    this.#spotlight?.(body);
    this.#submit({ url, body, label, category, quantity, report: false, keepalive: true });
  }

  /**
   * Sends the pending client report now, if there is one. Returns whether it did.
   * `leaving`: the page is being hidden, so the request must outlive it (keepalive).
   */
  sendClientReport(leaving = false): boolean {
    const core = this.#core;
    if (!this.#sendReports || !core || this.#jobs[2] >= MAX_REPORTS_IN_FLIGHT) return false;
    const url = core.url;
    if (!url) return false;
    const now = Date.now();
    const body = this.#keptReports.shift() ?? (this.limits.isLimited(Category.Internal, now) ? undefined : core.takeClientReport(now));
    if (!body) return false;
    this.#spotlight?.(body);
    this.#submit({ url, body, label: "client report", category: Category.Internal, quantity: 1, report: true, keepalive: leaving });
    return true;
  }

  /**
   * Resolves true once everything handed over is delivered or accounted for (kept
   * offline or counted), and the client report that results has been sent; false if
   * `deadline` (a Date.now() value) passes first.
   */
  async drain(deadline: number): Promise<boolean> {
    if (!(await this.#settle(deadline))) return false;
    // Reports kept after an earlier failure go first, each as it was; then the current
    // counts. A report failing now waits for the next occasion.
    const turns = this.#keptReports.length + 1;
    for (let i = 0; i < turns && this.sendClientReport(); i++) {
      if (!(await this.#settle(deadline))) return false;
    }
    return true;
  }

  /** Waits until nothing is in flight; false if `deadline` passes first. */
  async #settle(deadline: number): Promise<boolean> {
    while (this.#inflight.size) {
      if (!(await within(allSettled(this.#inflight), deadline))) return false;
    }
    return true;
  }

  /**
   * Stops timers and listeners. Counts not yet reported leave in one last report, anything
   * still waiting to be retried gets its last try now, and, outside browsers, requests
   * still waiting for an answer (close comes after a flush: they had their time) are given
   * up, so that nothing of the client's keeps a process alive.
   */
  close(): void {
    if (this.#closed) return;
    const late = this.#deadlines.slice();
    this.sendClientReport(true);
    this.#closed = true;
    for (const c of this.#cleanups.splice(0)) c();
    // (A page's requests go on: a session's end, sent as its client closes, among them.)
    if (!this.#page) for (const d of late) if (this.#met(d)) d[1]();
    this.#hurry();
  }

  /**
   * Sends nothing more and keeps nothing: what waits to be sent or retried is dropped, a
   * report too, and the envelopes the offline store keeps for this client (`url`, the
   * core's) are removed (a user who withdraws consent is owed that). Requests already on
   * the wire are not recalled.
   */
  async discard(url = this.#core?.url): Promise<void> {
    if (!this.#discarded) this.#log(`close({ discard: true }): of ${this.#inflight.size} envelope(s) not yet delivered, those waiting or to be retried are dropped, as are those kept offline; none is counted`);
    this.#discarded = this.#closed = true;
    this.#keptReports.length = 0;
    for (const c of this.#cleanups.splice(0)) c();
    // Each waiting request or retry resumes, sees `#discarded` and ends.
    this.#hurry();
    await this.#storeLoading;
    await allSettled(this.#keeping);
    const store = this.#store;
    if (store?.clear) return store.clear(url);
    // A store of the app's without `clear`: emptied through `take` (bounded: a store that
    // gives back what it was told to remove ends it too).
    for (let i = 0; store && i < 100; i++) {
      const { entries, dropped } = await store.take(100, url);
      if (!entries.length && !dropped.length) break;
      await store.remove?.([...entries, ...dropped]);
    }
  }

  /**
   * Ends every retry delay now, and starts every request waiting for one of the
   * MAX_CONCURRENT_REQUESTS slots (the page is going away: a request still waiting in its
   * memory would go with it, while one started with keepalive outlives it, and the
   * browser queues those itself).
   */
  #hurry(): void {
    // Each waker deletes itself, which a set's iteration allows; none adds another (the
    // delay it ends resumes later, as a promise's reaction).
    for (const wake of this.#wakers) wake();
    // Each request started here frees its own slot when it ends; from now on none waits
    // for one (a retry just woken would otherwise queue behind the six in flight).
    this.#leaving = true;
    for (const start of this.#waitingForSlot.splice(0)) {
      this.#running++;
      start();
    }
  }

  /** Sends envelopes kept offline, a batch at a time. */
  #replay(): void {
    const store = this.#store;
    const core = this.#core;
    if (!store || !core || this.#closed || this.#replaying || !maybeOnline()) return;
    const room = Math.min(REPLAY_BATCH, this.#bufferSize - this.#jobs[0]);
    if (room <= 0) return;
    this.#replaying = true;
    const task: Promise<void> = (async () => {
      try {
        // Only this client's: another app of the origin (another project, its own rate
        // limits and reports) sends its own.
        const { entries, dropped } = await store.take(room, core.url);
        for (const d of dropped) this.#count(Reason.CacheOverflow, d, "dropped: stored too long");
        this.#storeMayHaveEntries = entries.length === room;
        if (entries.length) this.#log(`sending ${entries.length} envelope(s) kept offline`);
        for (const e of entries) {
          this.#submit({ ...e, label: e.label ?? STORED, report: false, keepalive: true, stored: e } as Job);
        }
      } catch (e) {
        this.#log(`offline store could not be read: ${e}`);
        // (Not asked again after each send; a later failure to send tries it again.)
        this.#storeMayHaveEntries = false;
      } finally {
        this.#replaying = false;
      }
    })();
    this.#inflight.add(task);
    void task.finally(() => this.#inflight.delete(task));
  }

  #submit(job: Job): void {
    // An entry of the offline store leaves it once its job has ended, whichever way: sent,
    // counted, or kept again (as a new entry).
    const ended = () => job.stored && this.#store?.remove?.([job.stored]).catch(() => {});
    if (this.#discarded || this.#dropIfLimited(job)) return void ended();
    // A client report comes only from `sendClientReport`, which has just checked that fewer
    // than MAX_REPORTS_IN_FLIGHT are in flight: the bound here is the envelopes'.
    const kind = job.report ? 2 : +(job.category == Category.Session);
    if (kind < 2 && this.#jobs[kind] >= this.#bufferSize) {
      this.#count(Reason.QueueOverflow, job, "dropped: the send buffer is full");
      return void ended();
    }
    this.#jobs[kind]++;
    // One promise on top of the run (not a catch, a finally and the tracking one).
    const done = () => {
      this.#jobs[kind]--;
      this.#inflight.delete(task);
      ended();
    };
    const task: Promise<void> = this.#run(job).then(done, (e) => {
      this.#log(`${job.label}: internal error in delivery: ${e}`);
      done();
    });
    this.#inflight.add(task);
  }

  async #run(job: Job): Promise<void> {
    // The offline store (made asynchronously) is known before the first attempt.
    if (this.#storeLoading) await this.#storeLoading;
    for (let attempt = 0; ; attempt++) {
      if (attempt) {
        // Exponential backoff with jitter: half the nominal delay, plus up to the other half at random.
        const nominal = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** (attempt - 1));
        await this.#sleep(nominal / 2 + (Math.random() * nominal) / 2);
        if (this.#discarded || this.#dropIfLimited(job)) return;
      }
      if (!job.report && this.#store && !maybeOnline()) {
        await this.#keep(job, "the browser is offline");
        return;
      }
      // One of the MAX_CONCURRENT_REQUESTS request slots: a free one is taken at once,
      // without a promise to await; else the next one freed (`#freeSlot`).
      // (Once the page has been hidden, none waits: see `#hurry`.)
      if (this.#running < MAX_CONCURRENT_REQUESTS || this.#leaving) this.#running++;
      else await new Promise<void>((resolve) => this.#waitingForSlot.push(resolve));
      if (this.#discarded || this.#dropIfLimited(job)) {
        this.#freeSlot();
        return;
      }
      // `sent_at` says when the envelope is transmitted: now, on every attempt.
      stampSentAt(job.body, Date.now());
      let res: TransportResponse;
      try {
        res = await this.#attempt(job);
      } catch (err) {
        this.#freeSlot();
        // Node's fetch says only "fetch failed": its cause says why (ECONNREFUSED, …).
        const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
        const e = cause ? `${err} (${cause.code ?? cause})` : err;
        if (this.refused) {
          this.#sendError(job, "refused by the page's Content-Security-Policy");
          return;
        }
        // Chromium fails keepalive requests as the page starts to unload, before `pagehide`:
        // a page's failure waits for it a moment (`pagehide` wakes it).
        if (this.#page && job.keepalive && !this.#left) await this.#sleep(UNLOAD_GRACE_MS);
        if (this.#left && job.keepalive) {
          // Neither sent again (the server gets it: a copy, and a session counted twice)
          // nor counted as lost.
          this.#log(`${job.label}: the page was left before its answer came; the browser still sends it`);
          return;
        }
        if (job.category === Category.Session) {
          this.#count(Reason.NetworkError, job, `not delivered (${e}); not sent again: the server may have it, and a copy would be counted twice`);
          return;
        }
        // A report whose answer never came may have been counted: its counts are not sent again.
        if (job.report && (err as { late?: 1 } | undefined)?.late) {
          this.#log(`${job.label} not delivered (${e}); not sent again: the server may have it, and its counts would be counted twice`);
          return;
        }
        // (Read after the attempt: a client closed meanwhile retries no more.)
        if (attempt < this.#maxRetries && !this.#closed) {
          this.#log(`${job.label} not delivered (${e}); retrying`);
          continue;
        }
        // The last attempt failed: a report waits for the next occasion; an envelope is
        // kept offline when a store is available, else counted.
        const why = String(e);
        if (job.report) this.#restoreReport(job, why);
        else if (this.#store) await this.#keep(job, why);
        else this.#count(Reason.NetworkError, job, `not delivered: ${why}`);
        return;
      }
      this.#freeSlot();
      const status = Number(res?.status) || 0;
      // No status: a transport of another shape (Sentry's factory form), which never sends.
      if (!res || typeof res != "object" || !("status" in res)) warnOnce("transport", `\`transport\` answered ${typeof res}, not { status, headers }: it is called per request, not as a factory. Counted as send_error`);
      const verdict = this.limits.onResponse(status, header(res, "x-sentry-rate-limits"), header(res, "retry-after"), Date.now());
      switch (verdict) {
        case Response.Delivered:
          this.#log(`${job.label} delivered (${status})`);
          // (`#replay` does nothing without a store.)
          if (this.#storeMayHaveEntries) this.#replay();
          return;
        case Response.RateLimited:
          // The server counts what it rate-limits; reporting it again would double it.
          if (job.report) this.#restoreReport(job, "rate limited (429)");
          else this.#log(`${job.label} dropped: rate limited by the server (429)`);
          return;
        case Response.TooLarge:
          warnOnce("413", "the server refused an envelope as too large (HTTP 413); it is dropped, counted as send_error");
          this.#sendError(job, "HTTP 413: the envelope is larger than the server accepts");
          return;
        case Response.Rejected: {
          // A redirect is not followed (a POST redirected is sent again as a GET, or not
          // at all): the DSN names an address that moved.
          const moved = (status > 299 && status < 400) || header(res, "type") === "opaqueredirect";
          const to = header(res, "location");
          if (moved) warnOnce("moved", `the DSN's server answered with a redirect${to ? ` to ${to}` : ""}: events are not sent there; use that address in the DSN (or \`tunnel\`). Counted as send_error`);
          const why = moved ? "a redirect, not followed" : `HTTP ${status}`;
          // A report the server did not take for its own trouble (5xx) keeps its counts for the next one.
          if (job.report && status > 499) this.#restoreReport(job, why);
          else this.#sendError(job, why);
          return;
        }
      }
    }
  }

  /** Hands the slot to the next waiting request, or frees it. */
  #freeSlot(): void {
    const next = this.#waitingForSlot.shift();
    if (next) next();
    else this.#running--;
  }

  /**
   * One request, abandoned (and aborted) after `timeoutMs`. The AbortController is made
   * when the transport first reads `signal` (the fetch transport does; an in-memory one
   * may not, and then pays nothing for it).
   */
  #attempt(job: Job): Promise<TransportResponse> {
    let ctl: AbortController | undefined;
    const request = {
      url: job.url,
      headers: {},
      body: job.body,
      keepalive: job.keepalive,
      get signal(): AbortSignal | undefined {
        if (!ctl && typeof AbortController === "function") ctl = new AbortController();
        return ctl?.signal;
      },
    };
    return new Promise((resolve, reject) => {
      // Every attempt has the same timeout, so deadlines come due in the order they were
      // set: one timer, for the earliest, serves them all (instead of a timer made and
      // cleared per request), and none is left once nothing is in flight.
      const deadline: Deadline = [
        Date.now() + this.#timeoutMs,
        () => {
          ctl?.abort();
          // (Marked `late`: the server may have had the request.)
          reject(Object.assign(new Error(this.#closed ? "the client was closed before an answer came" : `no response within ${this.#timeoutMs} ms`), { late: 1 }));
        },
        false,
      ];
      this.#deadlines.push(deadline);
      this.#liveDeadlines++;
      if (this.#deadlineTimer == null) this.#armDeadline();
      // The transport is called now; what it throws is its rejection.
      new Promise<TransportResponse>((sent) => sent(this.#transport(request))).then(
        (r) => {
          this.#met(deadline);
          resolve(r);
        },
        (e) => {
          this.#met(deadline);
          reject(e);
        },
      );
    });
  }

  /** Ends an attempt's deadline (its answer came, or the deadline passed): false if it had already ended. */
  #met(d: Deadline): boolean {
    if (d[2]) return false;
    d[2] = true;
    if (!--this.#liveDeadlines) {
      clearTimeout(this.#deadlineTimer);
      this.#deadlineTimer = undefined;
      this.#deadlines.length = 0;
    }
    return true;
  }

  #armDeadline(): void {
    while (this.#deadlines.length && this.#deadlines[0][2]) this.#deadlines.shift();
    const head = this.#deadlines[0];
    if (!head) return;
    this.#deadlineTimer = unref(
      setTimeout(() => {
        this.#deadlineTimer = undefined;
        const now = Date.now();
        while (this.#deadlines.length && (this.#deadlines[0][2] || this.#deadlines[0][0] <= now)) {
          const d = this.#deadlines.shift() as Deadline;
          if (this.#met(d)) d[1]();
        }
        this.#armDeadline();
      }, Math.max(0, head[0] - Date.now())),
    );
  }

  #sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = unref(setTimeout(wake, ms));
      this.#wakers.add(wake);
    });
  }

  #dropIfLimited(job: Job): boolean {
    if (!this.limits.isLimited(job.category, Date.now())) return false;
    if (job.report) this.#restoreReport(job, "client reports are rate limited");
    else this.#count(Reason.RatelimitBackoff, job, `dropped: ${wireName(Category, job.category)} is rate limited`);
    return true;
  }

  /** Keeps an envelope offline (stamped again when sent); what the store refuses is `cache_overflow`. */
  #keep(job: Job, why: string): Promise<void> {
    const keeping = this.#keepNow(job, why);
    this.#keeping.add(keeping);
    return keeping.finally(() => this.#keeping.delete(keeping));
  }

  async #keepNow(job: Job, why: string): Promise<void> {
    const entry: StoredEnvelope = {
      url: job.url,
      body: job.body,
      category: job.category,
      quantity: job.quantity,
      // An envelope that came from the store keeps its age.
      savedAt: job.stored?.savedAt ?? Date.now(),
      label: job.label,
    };
    let dropped: StoredEnvelope[];
    try {
      // One kept again leaves first, so that its old copy does not count against the room.
      if (job.stored) await this.#store!.remove?.([job.stored]);
      // (Asked after each wait: a discard that came meanwhile keeps nothing.)
      if (this.#discarded) return;
      dropped = await this.#store!.push(entry);
    } catch (e) {
      this.#count(Reason.NetworkError, job, `not delivered (${why}) and not stored: ${e}`);
      return;
    }
    this.#storeMayHaveEntries = true;
    for (const d of dropped) this.#count(Reason.CacheOverflow, d, d === entry ? "not stored: the offline store is full" : "dropped: stored too long");
    if (!dropped.includes(entry)) this.#log(`${job.label} kept offline (${why})`);
  }

  /** A final rejection. A client report the server refuses as such (4xx) is dropped, never retried. */
  #sendError(job: Job, why: string): void {
    if (job.report) this.#log(`client report dropped: ${why}`);
    else this.#count(Reason.SendError, job, `dropped: ${why}`);
  }

  #restoreReport(job: Job, why: string): void {
    if (this.#keptReports.length < MAX_KEPT_REPORTS) {
      this.#keptReports.push(job.body);
      this.#log(`client report not delivered (${why}); it is sent again with the next one`);
    } else this.#log(`client report not delivered (${why}) and dropped: ${MAX_KEPT_REPORTS} are already waiting`);
  }

  /** Counts `what` (a job, or a stored envelope) as lost for `reason`; logs "<label> <outcome> (counted as <reason>)". */
  #count(reason: Reason, what: Pick<StoredEnvelope, "category" | "quantity" | "label">, outcome: string): void {
    this.#core?.recordOutcome(reason, what.category as Category, what.quantity);
    this.#log(`${what.label ?? STORED} ${outcome} (counted as ${wireName(Reason, reason)})`);
  }
}

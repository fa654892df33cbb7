/**
 * Offline storage: envelopes that could not be sent because the network is down wait
 * here and are sent when it is back. Browsers keep them in IndexedDB, so they survive a
 * reload; `createMemoryStore` keeps them for the life of the process (Node, tests).
 *
 * Only envelopes the core has already built are stored, so whatever scrubbing the
 * pipeline does has already happened. They are stored without `sent_at`; delivery writes
 * a fresh one when it sends them.
 *
 * Bounds: entry count, total bytes and age. A full store refuses the new envelope; expired
 * envelopes are dropped when the store is next written or read. Everything refused or
 * dropped is handed back so delivery can count it as `cache_overflow`.
 */
import type { OfflineOptions, OfflineStore, StoredEnvelope } from "../api/types.js";

export const DEFAULT_MAX_ENTRIES = 30;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_AGE_MS = 3 * 24 * 3600 * 1000;

/** The options' `maxEntries`, `maxBytes` and `maxAgeMs`, each defaulted. */
type Bounds = [maxEntries: number, maxBytes: number, maxAgeMs: number];

function bounds(o: OfflineOptions): Bounds {
  const pos = (v: number | undefined, d: number) => (typeof v === "number" && v >= 0 ? v : d);
  return [pos(o.maxEntries, DEFAULT_MAX_ENTRIES), pos(o.maxBytes, DEFAULT_MAX_BYTES), pos(o.maxAgeMs, DEFAULT_MAX_AGE_MS)];
}

/**
 * How long an entry the IndexedDB store handed out stays with the page that took it: after
 * that, it is handed out again (that page went away before it was sent or accounted for,
 * e.g. reloaded at once; at worst the server gets it twice). Longer than a send with the
 * default transport options can take (4 attempts of up to 30 s, and the waits between).
 */
export const TAKEN_FOR_MS = 180_000;

/**
 * `[live, drop]`: the indexes of the kept entries (oldest first) that are still wanted and
 * of those that have expired. A take hands out the first `max` live ones (delivery asks for
 * a whole number from 1 to 10).
 */
function sortOut(kept: StoredEnvelope[], b: Bounds, now: number): [live: number[], drop: number[]] {
  const live: number[] = [];
  const drop: number[] = [];
  kept.forEach((e, i) => (now - e.savedAt <= b[2] ? live : drop).push(i));
  return [live, drop];
}

/**
 * Whether a kept entry is for `url` (undefined: any): the same endpoint and key, whatever
 * the SDK version the envelope URL names (an entry kept by an older version is sent too).
 */
const isFor = (entry: StoredEnvelope, url?: string) => url == null || project(entry.url) == project(url);
const project = (url: string) => url.replace(/[?&]sentry_(client|version)=[^&]*/g, "");

/** Whether `incoming` fits beside the `live` kept entries. */
const fits = (kept: StoredEnvelope[], live: number[], incoming: StoredEnvelope, b: Bounds) =>
  live.length + 1 <= b[0] && live.reduce((n, i) => n + kept[i].body.byteLength, incoming.body.byteLength) <= b[1];

/** A store in memory, with the same bounds as the IndexedDB one. */
export function createMemoryStore(options: OfflineOptions = {}): OfflineStore {
  const b = bounds(options);
  let kept: StoredEnvelope[] = [];
  return {
    async push(entry) {
      const [live, drop] = sortOut(kept, b, Date.now());
      const fit = fits(kept, live, entry, b);
      const dropped = drop.map((i) => kept[i]);
      kept = kept.filter((_, i) => !drop.includes(i));
      if (fit) kept.push(entry);
      else dropped.push(entry);
      return dropped;
    },
    async clear(url) {
      kept = kept.filter((e) => !isFor(e, url));
    },
    async take(max, url) {
      const [live, drop] = sortOut(kept, b, Date.now());
      const give = live.filter((i) => isFor(kept[i], url)).slice(0, max);
      const entries = give.map((i) => kept[i]);
      const dropped = drop.map((i) => kept[i]);
      kept = kept.filter((_, i) => !give.includes(i) && !drop.includes(i));
      return { entries, dropped };
    },
    async size() {
      return kept.length;
    },
  };
}

/** The IndexedDB keys of the entries a take handed out, for `remove`. */
const storedKeys = new WeakMap<StoredEnvelope, IDBValidKey>();

const DB_NAME = "oxeye-offline";
const STORE = "envelopes";

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((ok, fail) => {
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
}

function completion(tx: IDBTransaction): Promise<void> {
  return new Promise((ok, fail) => {
    tx.oncomplete = () => ok();
    tx.onerror = () => fail(tx.error);
    tx.onabort = () => fail(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

/**
 * A store in IndexedDB (database `oxeye-offline`). Each read-modify-write runs in one
 * transaction, so two tabs never hand out the same envelope twice. Undefined where
 * IndexedDB does not exist.
 */
export function createIndexedDbStore(options: OfflineOptions): OfflineStore | undefined {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb) return undefined;
  const b = bounds(options);
  let db: Promise<IDBDatabase> | undefined;
  const open = () =>
    (db ??= new Promise<IDBDatabase>((ok, fail) => {
      const r = idb.open(DB_NAME, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { autoIncrement: true });
      r.onsuccess = () => {
        const conn = r.result;
        // Let a newer version of the schema take over instead of blocking it.
        conn.onversionchange = () => {
          conn.close();
          db = undefined;
        };
        ok(conn);
      };
      r.onerror = () => fail(r.error);
      r.onblocked = () => fail(new Error("IndexedDB is blocked by another tab"));
    }).catch((e) => {
      db = undefined;
      throw e;
    }));

  /**
   * Runs `fn` over every kept entry (oldest first) in one read-write transaction, once
   * the expired ones are deleted: `fn` gets the indexes of the live ones and the expired
   * entries (`sortOut`).
   */
  async function update<R>(fn: (kept: StoredEnvelope[], keys: IDBValidKey[], os: IDBObjectStore, live: number[], dropped: StoredEnvelope[]) => R): Promise<R> {
    const conn = await open();
    const tx = conn.transaction(STORE, "readwrite");
    const done = completion(tx);
    const os = tx.objectStore(STORE);
    let result: R | undefined;
    let failure: unknown;
    // Plain callbacks: the writes are issued while the transaction is surely still active.
    const all = os.getAll();
    all.onsuccess = () => {
      const keys = os.getAllKeys();
      keys.onsuccess = () => {
        try {
          const kept = all.result as StoredEnvelope[];
          const [live, drop] = sortOut(kept, b, Date.now());
          for (const i of drop) os.delete(keys.result[i]);
          result = fn(kept, keys.result, os, live, drop.map((i) => kept[i]));
        } catch (e) {
          failure = e;
          tx.abort();
        }
      };
    };
    await done.catch((e) => {
      throw failure ?? e;
    });
    return result as R;
  }

  return {
    push: (entry) =>
      update((kept, keys, os, live, dropped) => {
        if (fits(kept, live, entry, b)) os.add(entry);
        else dropped.push(entry);
        return dropped;
      }),
    // What is taken stays, marked, until `remove`: a page that goes away between the
    // take and the send loses nothing.
    take: (max, url) =>
      update((kept, keys, os, live, dropped) => {
        const now = Date.now();
        // (never taken: `undefined > n` is false)
        const give = live.filter((i) => !((kept[i].takenAt as number) > now - TAKEN_FOR_MS) && isFor(kept[i], url)).slice(0, max);
        for (const i of give) {
          kept[i].takenAt = now;
          os.put(kept[i], keys[i]);
          storedKeys.set(kept[i], keys[i]);
        }
        return { entries: give.map((i) => kept[i]), dropped };
      }),
    // Handed out or not (`close({ discard: true })`).
    clear: (url) =>
      update((kept, keys, os) => {
        kept.forEach((e, i) => isFor(e, url) && os.delete(keys[i]));
      }),
    // By key: nothing is read.
    remove: async (entries) => {
      const tx = (await open()).transaction(STORE, "readwrite");
      const done = completion(tx);
      for (const e of entries) {
        const key = storedKeys.get(e);
        if (key !== undefined) tx.objectStore(STORE).delete(key);
      }
      return done;
    },
    size: async () => request((await open()).transaction(STORE, "readonly").objectStore(STORE).count()),
  };
}

/** Says, on a page, that nothing is kept offline for want of IndexedDB (some private windows hide it). */
export function noIndexedDb(log: (message: string) => void): void {
  if (typeof document == "object") log("envelopes are not kept offline: IndexedDB is not available here (a private window may hide it)");
}

/** Makes the runtime's own store when the app passed none (browsers: `createIndexedDbStore`). */
export type DefaultStore = (options: OfflineOptions) => OfflineStore | undefined;

/**
 * The store the `offline` option asks for: the app's own `store`, else the runtime's
 * default (none on Workers, whose engine is started without one so that their bundles
 * leave the IndexedDB code out), or undefined when storage is off or unavailable.
 */
export function offlineStoreFor(option: boolean | OfflineOptions | undefined, makeDefault?: DefaultStore): OfflineStore | undefined {
  if (option === false) return undefined;
  const o = option && typeof option === "object" ? option : {};
  return o.store ?? makeDefault?.(o);
}

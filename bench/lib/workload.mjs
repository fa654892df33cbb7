/**
 * The capture workload shared by every SDK, in Node and in Chromium: an Error whose
 * `cause` was thrown 6 calls deep, 30 breadcrumbs, 8 tags, nested extras, a user and a
 * named context, each capture awaited until an in-memory transport has it. Each SDK
 * adapter (bench/adapters/) turns this into its own API calls and reports which parts it
 * could carry.
 */

export const DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1";
export const RELEASE = "shop@1.4.2";
export const ENVIRONMENT = "production";

export const TAGS = {
  route: "/checkout",
  region: "eu-west-1",
  plan: "pro",
  feature_flag: "new-cart",
  locale: "de-DE",
  build: "2026.11.3",
  tenant: "acme",
  ab_bucket: "b",
};
export const EXTRA = {
  cart: {
    id: "c_81f3",
    items: [
      { sku: "A-100", qty: 2, price: 19.9, options: { color: "red", size: { eu: 42, us: 9 } } },
      { sku: "B-220", qty: 1, price: 5.5, options: { gift: true, note: "leave at door" } },
    ],
    currency: "EUR",
    totals: { net: 45.3, tax: { rate: 0.19, amount: 8.61 }, gross: 53.91 },
  },
  attempt: 3,
  gateway: "stripe",
};
/** A named context, set with setContext("checkout", …). */
export const CONTEXT = { step: "payment", provider: { name: "stripe", region: "eu", retries: [120, 480, 1920] } };
export const USER = { id: "u_4821", email: "jane@example.com", username: "jane" };

/** 30 breadcrumbs of the kinds browsers record: clicks, fetches, navigations, console. */
export function breadcrumbs() {
  const out = [];
  for (let i = 0; i < 30; i++) {
    const t = 1_700_000_000 + i;
    switch (i % 4) {
      case 0:
        out.push({ timestamp: t, category: "ui.click", message: `button#step-${i}` });
        break;
      case 1:
        out.push({ timestamp: t, type: "http", category: "fetch", data: { method: "GET", url: `/api/cart/${i}`, status_code: 200 } });
        break;
      case 2:
        out.push({ timestamp: t, category: "navigation", data: { from: `/step/${i - 1}`, to: `/step/${i}` } });
        break;
      default:
        out.push({ timestamp: t, category: "console", level: "warning", message: `slow response for step ${i}` });
    }
  }
  return out;
}

// The cause is thrown 6 calls deep, so every stack has real frames to parse.
function readPrice(order, i) {
  if (!order.items) throw new TypeError(`order ${i} has no items to price`);
  return order.items[0].price;
}
function lineTotal(order, i) {
  return readPrice(order, i) * 2;
}
function orderTotal(order, i) {
  return lineTotal(order, i) + 1;
}
function applyTax(order, i) {
  return orderTotal(order, i) * 1.19;
}
function quote(order, i) {
  return applyTax(order, i);
}
function priceOrder(order, i) {
  try {
    return quote(order, i);
  } catch (cause) {
    throw new Error(`checkout failed for order ${i}`, { cause });
  }
}
function submitCheckout(i) {
  return priceOrder({ id: i }, i);
}
function onClick(i) {
  return submitCheckout(i);
}

/** A fresh error each time (its message differs, so no SDK can deduplicate it away). */
export function realisticError(i) {
  try {
    onClick(i);
  } catch (e) {
    return e;
  }
  throw new Error("unreachable");
}

/** A message that differs each time. */
export function message(i) {
  return `payment retried for order ${i}`;
}

/**
 * Counts what reaches the in-memory transport; `until(n)` resolves once n envelopes
 * have arrived (rejects after `timeoutMs`, which means the SDK dropped some).
 */
export function makeSink() {
  let count = 0;
  let bytes = 0;
  let waiter = null;
  return {
    get count() {
      return count;
    },
    get bytes() {
      return bytes;
    },
    last: null,
    receive(body) {
      count++;
      bytes += typeof body === "string" ? body.length : body.byteLength;
      this.last = body;
      if (waiter && count >= waiter.n) {
        const w = waiter;
        waiter = null;
        clearTimeout(w.timer);
        w.resolve();
      }
    },
    until(n, timeoutMs = 10_000) {
      if (count >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = null;
          reject(new Error(`only ${count} of ${n} envelopes reached the transport`));
        }, timeoutMs);
        waiter = { n, resolve, timer };
      });
    },
  };
}

const now = () => performance.now();

/**
 * Events per second for one mode (`exception` or `message`): captures in batches of
 * `batch` (well below @sentry/browser's send buffer of 64 requests, even while the
 * previous batch is still settling), each batch awaited until the transport has it, so
 * the whole asynchronous pipeline is in the figure and nothing is dropped. Runs `warmup`
 * events first, then batches until `minMs` has passed (at least `minEvents`).
 */
export async function throughput(sdk, sink, mode, { batch = 25, warmup = 1000, minMs = 1500, minEvents = 2000, maxEvents = 200_000 } = {}) {
  const capture = mode === "message" ? (i) => sdk.captureMessage(message(i)) : (i) => sdk.captureException(realisticError(i));
  let i = 0;
  async function runBatch() {
    const target = sink.count + batch;
    for (let j = 0; j < batch; j++) capture(i++);
    await sink.until(target);
  }
  while (i < warmup) await runBatch();
  const startCount = sink.count;
  const startBytes = sink.bytes;
  const t0 = now();
  let n = 0;
  while ((now() - t0 < minMs || n < minEvents) && n < maxEvents) {
    await runBatch();
    n += batch;
  }
  const ms = now() - t0;
  const delivered = sink.count - startCount;
  return { events: delivered, ms, eventsPerSec: (delivered / ms) * 1000, bytesPerEvent: (sink.bytes - startBytes) / delivered };
}

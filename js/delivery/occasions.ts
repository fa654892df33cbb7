/**
 * When delivery acts beyond its own sends, in browsers and Node (`EngineParts.occasions`;
 * Workers have no page, and no timer outlives their request): client reports leave every
 * `clientReportFlushInterval` ms (unless `sendClientReports` is false) on a timer that
 * never keeps its client alive, and on that tick envelopes kept offline after a failure
 * are tried again (a server that was down may be back); when the page is hidden, retries are hurried and a last
 * report leaves, until it is shown again; when the network is back, the offline store is replayed; when the page's
 * Content-Security-Policy refuses a request to the server, delivery is told (pages only).
 */
import type { Options } from "../api/types.js";
import { weakInterval } from "../api/weak-timer.js";
import { REPORT_INTERVAL, numberOr, type Delivery, type DeliveryOccasions } from "./delivery.js";
import { listen, onOnline, onPageHide, type Target } from "./lifecycle.js";
import { warnOnce } from "../api/warn.js";

/**
 * The report timer's tick, made outside any function that sees the delivery: a closure
 * made there would share that context and could keep the delivery (and its client) alive.
 */
const tick = (d: Delivery): void => {
  d.sendClientReport();
  d.replayKept();
};

/** The occasions of a client with these options. */
export const deliveryOccasions =
  (options: Options): DeliveryOccasions =>
  (d, leaving, back, shown) => {
    const interval = numberOr(options.clientReportFlushInterval, REPORT_INTERVAL);
    // (No timer when reports are off: `clearInterval(undefined)` does nothing.)
    const timer = options.sendClientReports !== false && interval ? weakInterval(d, interval, tick) : undefined;
    return [
      () => clearInterval(timer),
      onPageHide(leaving, shown),
      onOnline(back),
      // A request to this client's server that the page's Content-Security-Policy refused
      // (enforced, not report-only): said once (the page can never send there), and what
      // fails is counted, not retried (`Delivery.refused`).
      listen((globalThis as { document?: Target }).document, "securitypolicyviolation", (e) => {
        const v = e as { blockedURI: string; effectiveDirective: string; disposition: string };
        const to = d.url;
        if (to && v.disposition == "enforce" && /^(connect|default)-src/.test(v.effectiveDirective)) {
          const origin = new URL(to, location.href).origin;
          if (new URL(v.blockedURI).origin == origin) {
            d.refused = true;
            warnOnce(origin, `the page's Content-Security-Policy (${v.effectiveDirective}) blocks ${origin}: add it to connect-src, or use a tunnel`);
          }
        }
      }),
    ];
  };

/**
 * Public types of oxeye's JavaScript API: options, transport contract, levels.
 * Types only; no runtime code.
 */

/** Severity of an event, as Sentry names them. */
export type SeverityLevel = "fatal" | "error" | "warning" | "log" | "info" | "debug";

/** One HTTP request the transport must make. */
export interface TransportRequest {
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What the transport learned from the server. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
}

/** Sends one envelope. Replaces the default fetch transport when given as `transport`. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** How an error was captured. */
export interface Mechanism {
  type: string;
  handled?: boolean;
}

/** Extra data for one capture. */
export interface EventHint {
  mechanism?: Mechanism;
  level?: SeverityLevel;
  tags?: Record<string, string>;
  extra?: Record<string, unknown>;
  contexts?: Record<string, Record<string, unknown>>;
  user?: Record<string, unknown>;
  fingerprint?: string[];
}

/** A Sentry event, as given to `captureEvent`. */
export type SentryEvent = Record<string, unknown>;

/** Options accepted by `init` and `createClient`. */
export interface Options {
  /** Where events go. Missing or empty: the SDK is off. Invalid: off, with `client.dsnError` saying why. */
  dsn?: string;
  release?: string;
  /** Defaults to `production`. */
  environment?: string;
  /** Logs every decision the SDK takes to the console. */
  debug?: boolean;
  /** `false` turns the SDK off without removing its calls. */
  enabled?: boolean;
  /** Replaces the default fetch transport. */
  transport?: Transport;
  /** Send envelopes to this URL instead of the DSN's endpoint (the envelope then names its DSN). */
  tunnel?: string;
  /**
   * Install global handlers for uncaught errors and unhandled rejections. Default: on in
   * browsers, off in Node (opt in there), never in Workers.
   */
  globalHandlers?: boolean;
}

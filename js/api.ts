/**
 * The convenience API over one default client (`init`, `captureException`, …) and
 * `createClient` for explicit clients. Each runtime entry point calls `createApi` with
 * its own platform; nothing here is shared between two calls of `createApi`.
 */
import { OxeyeClient, type Platform } from "./client.js";
import type { EventHint, Options, SentryEvent, SeverityLevel } from "./types.js";

/** The functions every entry point exports. */
export interface Api {
  init(options: Options): OxeyeClient;
  createClient(options: Options): OxeyeClient;
  getClient(): OxeyeClient | undefined;
  captureException(exception: unknown, hint?: EventHint): string;
  captureMessage(message: string, level?: SeverityLevel): string;
  captureEvent(event: SentryEvent): string;
  flush(timeoutMs?: number): Promise<boolean>;
  close(timeoutMs?: number): Promise<boolean>;
}

/** Builds the API for one runtime. */
export function createApi(platform: Platform): Api {
  let current: OxeyeClient | undefined;
  const createClient = (options: Options) => new OxeyeClient(options ?? {}, platform);
  return {
    init(options) {
      const previous = current;
      if (previous) void previous.close(0);
      const client = createClient(options);
      const wanted = options?.globalHandlers ?? platform.handlersByDefault ?? false;
      if (wanted && platform.installHandlers) {
        try {
          client.addCleanup(platform.installHandlers(client));
        } catch (e) {
          client.log(`global handlers not installed: ${e}`);
        }
      }
      current = client;
      return client;
    },
    createClient,
    getClient: () => current,
    captureException: (e, hint) => (current ? current.captureException(e, hint) : ""),
    captureMessage: (m, level) => (current ? current.captureMessage(m, level) : ""),
    captureEvent: (ev) => (current ? current.captureEvent(ev) : ""),
    flush: (t) => (current ? current.flush(t) : Promise.resolve(true)),
    close: (t) => (current ? current.close(t) : Promise.resolve(true)),
  };
}

/**
 * `Scope`: a handle on one scope held by the core. Setters forward to the client (which
 * queues them until the core is ready); event processors stay here because they are
 * functions. Every setter returns the scope, so calls can be chained.
 */
import type { ScopeOp } from "../core/enums.js";
import type { Breadcrumb, BreadcrumbHint, EventProcessor, SeverityLevel, User } from "./types.js";

/**
 * A scope setter, named by its key in the core's `ScopeOp` enum (checked against the
 * boundary's declaration). The key, not the number, travels on the browser's critical
 * path, where the enum's values (in the lazily loaded glue) are not loaded yet; the engine
 * passes `ScopeOp[op]` to the core.
 */
export type ScopeOpName = keyof typeof ScopeOp;

/** What a scope needs from its client. */
export interface ScopeHost {
  /** @internal */
  scopeSet(id: number, op: ScopeOpName, key: string | undefined, value: unknown): void;
  /** @internal */
  addBreadcrumbTo(id: number, crumb: Breadcrumb, hint?: BreadcrumbHint): void;
}

export class Scope {
  // `declare`: set in the constructor, not first defined as undefined (critical-path bytes).
  private declare host: ScopeHost;
  /** The scope's id: chosen by the client (0 global, 1 first isolation, 2 first current). */
  declare readonly id: number;
  /** Event processors of this scope, run in order for events captured under it. */
  declare readonly processors: EventProcessor[];
  /**
   * @internal The id of the incoming request this isolation scope serves (servers; its forks keep
   * it): the scope's tag `request_id`, which no outgoing request's id replaces, and the id
   * sent on the requests made under it.
   */
  declare requestId?: string;
  /**
   * @internal True while this isolation scope serves an incoming request whose end is still to be
   * counted as a request-mode session (`endServedRequest`; servers' request wrappers).
   */
  declare serving?: boolean;

  constructor(host: ScopeHost, id: number, processors: EventProcessor[] = []) {
    this.host = host;
    this.id = id;
    this.processors = [...processors];
  }

  /** Hands `op` to the client; `key` last, as the setters of a whole value have none. */
  #set(op: ScopeOpName, value?: unknown, key?: string): this {
    // (A scope made with `new Scope()` belongs to no client: what it is given goes nowhere.)
    this.host?.scopeSet(this.id, op, key, value);
    return this;
  }

  /** Sets a tag: searchable in Sentry, its value cut at 200 characters. */
  setTag(key: string, value: unknown): this {
    return this.#set("SetTag", value, key);
  }
  /** Sets several tags. */
  setTags(tags: Record<string, unknown>): this {
    return this.#set("SetTags", tags);
  }
  /** Sets an extra value, normalised (depth, cycles) and scrubbed as it is set. */
  setExtra(key: string, value: unknown): this {
    return this.#set("SetExtra", value, key);
  }
  /** Sets several extra values. */
  setExtras(extras: Record<string, unknown>): this {
    return this.#set("SetExtras", extras);
  }
  /** Sets a named context (`null` removes it). */
  setContext(name: string, context: Record<string, unknown> | null): this {
    return this.#set("SetContext", context, name);
  }
  /** Sets the user (`null` clears it); its `id` is also the session's `did`. */
  setUser(user: User | null): this {
    return this.#set("SetUser", user);
  }
  /** The level of every event captured in this scope, whatever the capture says. */
  setLevel(level: SeverityLevel): this {
    return this.#set("SetLevel", level);
  }
  /** Groups this scope's events by these values (`"{{ default }}"` stands for the default grouping). */
  setFingerprint(fingerprint: string[]): this {
    return this.#set("SetFingerprint", fingerprint);
  }
  /** Names the events of this scope (`transaction`: a route, a job); none without a name. */
  setTransactionName(name?: string): this {
    return this.#set("SetTransactionName", name);
  }
  /** Records a breadcrumb in this scope (`beforeBreadcrumb` may change or drop it). */
  addBreadcrumb(breadcrumb: Breadcrumb, hint?: BreadcrumbHint): this {
    this.host.addBreadcrumbTo(this.id, breadcrumb, hint);
    return this;
  }
  /** Removes this scope's breadcrumbs. */
  clearBreadcrumbs(): this {
    return this.#set("ClearBreadcrumbs");
  }
  /** Adds a function that sees, and may change or drop, the events captured in this scope. */
  addEventProcessor(processor: EventProcessor): this {
    if (typeof processor === "function") this.processors.push(processor);
    return this;
  }
  /** Empties the scope's data and breadcrumbs (its event processors stay, as in Sentry's SDKs). */
  clear(): this {
    return this.#set("Clear");
  }
}

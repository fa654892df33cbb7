/**
 * `Scope`: a handle on one scope held by the wasm core. Setters forward to the core (or
 * are queued until it is ready); event processors stay here because they are functions.
 * Every setter returns the scope, so calls can be chained.
 */
import type { Breadcrumb, BreadcrumbHint, EventProcessor, SeverityLevel, User } from "./types.js";

/** What a scope needs from its client. */
export interface ScopeHost {
  scopeSet(id: number, op: string, key: string | undefined, value: unknown): void;
  addBreadcrumbTo(id: number, crumb: Breadcrumb, hint?: BreadcrumbHint): void;
}

export class Scope {
  /** Event processors of this scope, run in order for events captured under it. */
  readonly processors: EventProcessor[];

  constructor(
    private host: ScopeHost,
    /** The core's id of this scope. */
    readonly id: number,
    processors: EventProcessor[] = [],
  ) {
    this.processors = [...processors];
  }

  private set(op: string, key: string | undefined, value: unknown): this {
    this.host.scopeSet(this.id, op, key, value);
    return this;
  }

  setTag(key: string, value: unknown): this {
    return this.set("setTag", key, value);
  }
  setTags(tags: Record<string, unknown>): this {
    return this.set("setTags", undefined, tags);
  }
  setExtra(key: string, value: unknown): this {
    return this.set("setExtra", key, value);
  }
  setExtras(extras: Record<string, unknown>): this {
    return this.set("setExtras", undefined, extras);
  }
  setContext(name: string, context: Record<string, unknown> | null): this {
    return this.set("setContext", name, context);
  }
  /** `null` clears the user. */
  setUser(user: User | null): this {
    return this.set("setUser", undefined, user);
  }
  setLevel(level: SeverityLevel): this {
    return this.set("setLevel", undefined, level);
  }
  setFingerprint(fingerprint: string[]): this {
    return this.set("setFingerprint", undefined, fingerprint);
  }
  setTransactionName(name?: string): this {
    return this.set("setTransactionName", undefined, name ?? null);
  }
  addBreadcrumb(breadcrumb: Breadcrumb, hint?: BreadcrumbHint): this {
    this.host.addBreadcrumbTo(this.id, breadcrumb, hint);
    return this;
  }
  clearBreadcrumbs(): this {
    return this.set("clearBreadcrumbs", undefined, null);
  }
  addEventProcessor(processor: EventProcessor): this {
    if (typeof processor === "function") this.processors.push(processor);
    return this;
  }
  /** Empties the scope: data, breadcrumbs and processors. */
  clear(): this {
    this.processors.length = 0;
    return this.set("clear", undefined, null);
  }
}

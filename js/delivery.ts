/**
 * Delivery: hands envelopes to the transport, keeps track of what is in flight, and
 * reports what the server said. `flush` waits for everything handed over so far.
 * No method throws; failures are logged through the client's debug log.
 */
import type { Transport } from "./types.js";

/** What the client tells delivery about one envelope. */
export interface EnvelopeMeta {
  /** For log lines, e.g. `event 1234…`. */
  label: string;
}

export class Delivery {
  private inflight = new Set<Promise<void>>();

  constructor(
    private transport: Transport,
    private log: (message: string) => void,
  ) {}

  /** Number of envelopes handed over and not yet settled. */
  get pending(): number {
    return this.inflight.size;
  }

  /** Sends one envelope to `url` in the background. */
  send(url: string, body: Uint8Array, meta: EnvelopeMeta): void {
    const task = (async () => {
      try {
        const res = await this.transport({ url, headers: {}, body });
        if (res.status >= 200 && res.status < 300) this.log(`${meta.label} delivered (${res.status})`);
        else this.log(`${meta.label} rejected by the server: HTTP ${res.status}`);
      } catch (e) {
        this.log(`${meta.label} not delivered: ${e}`);
      }
    })();
    this.inflight.add(task);
    void task.finally(() => this.inflight.delete(task));
  }

  /** Resolves true once nothing is in flight, false if `deadline` (a Date.now() value) passes first. */
  async drain(deadline: number): Promise<boolean> {
    while (this.inflight.size > 0) {
      if (!(await within(Promise.allSettled([...this.inflight]), deadline))) return false;
    }
    return true;
  }
}

/** Resolves true when `p` settles before `deadline` (a Date.now() value), false otherwise. */
export function within(p: Promise<unknown>, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    p.then(done, done);
  });
}

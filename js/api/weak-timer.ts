/**
 * Periodic timers that never keep their owner alive: the interval is unref'd (it never keeps
 * Node running) and holds its target weakly, so a client nobody references any more (one per
 * request, never closed) is collected and its timer stops, at once through a
 * FinalizationRegistry or at the latest on its next tick.
 */
import { unref } from "./guard.js";

const registry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<ReturnType<typeof setInterval>>((timer) => clearInterval(timer))
    : undefined;

/**
 * Calls `tick(target)` every `ms` while `target` is alive; returns the timer (for
 * clearInterval). Make `tick` outside any method of the target's class: a closure made in a
 * method shares that method's context, which may hold `this` and so the target itself.
 */
export function weakInterval<T extends object>(target: T, ms: number, tick: (target: T) => void): ReturnType<typeof setInterval> {
  const ref = typeof WeakRef === "function" ? new WeakRef(target) : undefined;
  const strong = ref ? undefined : target;
  const timer = setInterval(() => {
    const t = ref ? ref.deref() : strong;
    if (t) tick(t);
    else clearInterval(timer);
  }, ms);
  unref(timer);
  registry?.register(target, timer);
  return timer;
}

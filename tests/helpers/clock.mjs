/**
 * Test helper: a clock the test moves by hand. oxeye reads wall-clock time through
 * `Date.now()` (rate limits, request handling windows, stored envelopes' age); while a fake
 * clock is installed that returns the real time plus however far the test has advanced it.
 * Timers keep real time, so an advance never fires a timer early.
 */

/** Installs the fake clock; `restore()` puts the real `Date.now` back. */
export function fakeClock() {
  const real = Date.now;
  let skew = 0;
  Date.now = () => real() + skew;
  return {
    /** Moves the clock forward by `ms`. */
    advance: (ms) => (skew += ms),
    now: () => Date.now(),
    restore: () => (Date.now = real),
  };
}

/** Runs `fn(clock)` with a fake clock installed, and restores the real one afterwards. */
export async function withClock(fn) {
  const clock = fakeClock();
  try {
    return await fn(clock);
  } finally {
    clock.restore();
  }
}

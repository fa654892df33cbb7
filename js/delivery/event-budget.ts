/**
 * The budget of error events a page sends a minute (`transportOptions.maxEventsPerMinute`):
 * a token bucket that delivery asks before each error event, so that an error storm sends
 * its first events and counts the rest.
 */

/**
 * Error events allowed (`eventBudget`): asked at `now`, true when an event may be sent;
 * with `spend`, one event is spent instead (and the answer means nothing).
 */
export type EventBudget = (now: number, spend?: boolean) => boolean;

/**
 * A token bucket for error events: `perMinute / 2` at once, then `perMinute` per minute.
 * Infinite when `perMinute` is.
 */
export function eventBudget(perMinute: number): EventBudget {
  const burst = Math.max(1, perMinute / 2);
  let tokens = burst;
  let at = 0;
  return (now, spend) => {
    // Unlimited: nothing to count.
    if (perMinute === Infinity) return true;
    // What accrued since the last call.
    if (at && now > at) tokens = Math.min(burst, tokens + ((now - at) * perMinute) / 60_000);
    at = now;
    if (spend) tokens = Math.max(0, tokens - 1);
    return tokens >= 1;
  };
}

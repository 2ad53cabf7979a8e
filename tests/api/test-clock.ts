/**
 * Time in API tests. The app reads one clock (api/platform/clock.ts); a test either leaves the real
 * one running or fixes it for the whole app — never stamps rows with one clock and reads them back
 * with another.
 * - `fixAppClock(start)`: from now on (this test file runs in a process of its own) the whole app
 *   lives at `start`, running forward from there; move it with `.advance(ms)` or `.set(at)`.
 * - `atInstant(at, fn)`: run `fn` (a worker tick, a delivery run) with the whole app frozen at `at`,
 *   then put the clock back where it was. Not for overlapping calls: wrap them in one `atInstant`.
 */
import { SettableClock, useClock } from '../../api/platform/clock.js';

export function fixAppClock(start: Date | string): SettableClock {
  const clock = new SettableClock(start);
  useClock(clock);
  return clock;
}

export async function atInstant<T>(at: Date | string, fn: () => Promise<T>): Promise<T> {
  const instant = new Date(at).getTime();
  // frozen for the duration, as a worker tick sees one instant
  const restore = useClock({ now: () => new Date(instant) });
  try {
    return await fn();
  } finally {
    restore();
  }
}

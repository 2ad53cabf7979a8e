/**
 * The one clock. Every business time in the API — a row's createdAt, an expiry, "is this due?", a
 * report's period, a file name's date — is read from here, never from `new Date()` or `Date.now()`
 * (tests/api/clock-discipline.test.ts fails the build on a stray call).
 *
 * Why one process-wide clock and not a `now` threaded through every call: the defects it prevents
 * come from mixing clocks (a row stamped by the real clock, delivered by a test's fixed one), and a
 * single source makes that mix impossible. A test fixes time for the whole app with `useClock()`
 * before it starts the app (vitest runs each file in its own process, so the choice is per file),
 * or leaves the real clock running throughout.
 *
 * Measuring how long something took (timeouts, heartbeats, latency) is not business time: use
 * `performance.now()` for that, which no test moves.
 */

export interface Clock {
  /** the current instant */
  now(): Date;
}

/** The real clock (the default). */
export const systemClock: Clock = { now: () => new Date() };

let active: Clock = systemClock;

/** The current instant, from the active clock. */
export function now(): Date {
  return active.now();
}

/** Milliseconds since the epoch, from the active clock. */
export function nowMs(): number {
  return active.now().getTime();
}

/** Today's date (UTC) as `YYYY-MM-DD`, from the active clock. */
export function todayIso(): string {
  return now().toISOString().slice(0, 10);
}

/** Make `clock` the app's clock; returns a function that puts the previous one back. */
export function useClock(clock: Clock): () => void {
  const previous = active;
  active = clock;
  return () => {
    active = previous;
  };
}

/**
 * A clock that reads `start` at the moment it is made and then runs forward with real time (so rows
 * written one after another still get increasing times), and can be moved on with `advance()`.
 */
export class SettableClock implements Clock {
  private offsetMs: number;

  constructor(start: Date | string) {
    this.offsetMs = new Date(start).getTime() - performance.now();
  }

  now(): Date {
    return new Date(performance.now() + this.offsetMs);
  }

  /** Jump forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Jump to `at`. */
  set(at: Date | string): void {
    this.offsetMs = new Date(at).getTime() - performance.now();
  }
}

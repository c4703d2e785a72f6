// Time is a dependency: the engine reads the time and sets timers only through a Clock, so
// tests drive the scheduler exactly and runs use the real one. Times are epoch milliseconds,
// fractional (sub-millisecond) where the clock allows.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` at `epochMs` or as soon after as the clock can; returns a handle for cancel(). */
  at(epochMs: number, fn: () => void): unknown;
  cancel(handle: unknown): void;
}

/** performance.now() anchored at the process's time origin: monotonic, microsecond resolution. */
const origin = performance.timeOrigin;
const now = (): number => origin + performance.now();

/**
 * The real clock. Timers are plain setTimeout (millisecond granularity, never early by more
 * than the event loop's cached time): no spinning, so an idle engine costs no CPU. The
 * scheduler measures how late each start actually was (its lag) instead of assuming.
 */
export const realClock: Clock = {
  now,
  at(epochMs, fn) {
    return setTimeout(fn, Math.max(0, epochMs - now()));
  },
  cancel(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

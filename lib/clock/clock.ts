// Time is a dependency: the engine and the fault timeline read the time and set timers only
// through a Clock, so tests drive them exactly and runs use the real one. Times are epoch
// milliseconds, fractional (sub-millisecond) where the clock allows.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Calls `fn` at `epochMs` or as soon after as the clock can, never synchronously (callers
   * hold the handle first); returns a handle for cancel().
   */
  at(epochMs: number, fn: () => void): unknown;
  cancel(handle: unknown): void;
}

const origin = performance.timeOrigin;

/** performance.now() anchored at the process's time origin: monotonic, microsecond resolution. */
export const now = (): number => origin + performance.now();


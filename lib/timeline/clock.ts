// Time is a dependency: the controller takes a clock so tests can drive it exactly; runs
// use the real one. Times are epoch milliseconds (fractional where the source allows).

export interface Clock {
  now(): number;
  /** Calls `fn` at `epochMs` (as close as the clock can); returns a handle for cancel(). */
  at(epochMs: number, fn: () => void): unknown;
  cancel(handle: unknown): void;
}

/** setTimeout fires late under load; wake this early and wait out the rest on the event loop. */
const EARLY_WAKE_MS = 2;
const origin = performance.timeOrigin;
const now = () => origin + performance.now();

/**
 * Epoch ms with sub-millisecond resolution, on the same origin as the built-in engine's
 * clock (performance.timeOrigin), so t0 from the engine and the timeline's times agree.
 */
export const realClock: Clock = {
  now,
  at(epochMs, fn) {
    const handle = { timer: undefined as NodeJS.Timeout | undefined, cancelled: false };
    const wake = () => {
      if (handle.cancelled) return;
      const left = epochMs - now();
      if (left > EARLY_WAKE_MS) handle.timer = setTimeout(wake, left - EARLY_WAKE_MS);
      else if (left > 0) setImmediate(wake);
      else fn();
    };
    // Never call back synchronously, even when already due: callers hold the handle first.
    setImmediate(wake);
    return handle;
  },
  cancel(handle) {
    const h = handle as { timer?: NodeJS.Timeout; cancelled: boolean };
    h.cancelled = true;
    clearTimeout(h.timer);
  },
};

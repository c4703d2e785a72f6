import { now, type Clock } from './clock.ts';

// Two real clocks for two needs. Node's setTimeout has millisecond granularity and fires up
// to a millisecond late on an idle loop, later on a busy one.

/**
 * For the load engine: plain setTimeout, no spinning, so an idle engine costs no CPU at
 * 1000 wake-ups a second; the scheduler measures how late each start actually was (its
 * lag) instead of assuming.
 */
export const timerClock: Clock = {
  now,
  at(epochMs, fn) {
    return setTimeout(fn, Math.max(0, epochMs - now()));
  },
  cancel(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** How early the spinning clock's setTimeout wakes before the deadline, ms. */
const EARLY_WAKE_MS = 2;

/**
 * For the fault timeline (a few dozen deadlines a run): wakes EARLY_WAKE_MS early and waits
 * out the rest on the event loop (setImmediate), so a call goes out within a fraction of a
 * millisecond of its time when the loop is free.
 */
export const spinningClock: Clock = {
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

import { decodeHistogram, encodeHistogram, LatencyWindow } from '../hdr/index.ts';

// A window's figures as plain data: counts plus an encoded HDR histogram of
// http_req_duration in microseconds. Two windows of the same span (two k6 machines, two
// halves of a file) merge by adding counts and histograms: see mergeWindowData.

export interface WindowData {
  /** Requests SENT in the window (see readers/request-group.ts for the send time). */
  requests: number;
  /** Of those, failed (`http_req_failed` = 1). */
  errors: number;
  /** `dropped_iterations` in the window. */
  dropped: number;
  /** Sum, minimum and maximum of http_req_duration in ms (exact, for avg/min/max). */
  sumMs: number;
  minMs: number;
  maxMs: number;
  /** HdrHistogram compressed base64 of http_req_duration in microseconds. */
  histogram: string;
}

/** A window being filled (lib/hdr's LatencyWindow of http_req_duration, plus dropped iterations), live until it is closed. */
export class LiveWindow extends LatencyWindow {
  dropped = 0;

  constructor(from?: WindowData) {
    super(from ? decodeHistogram(from.histogram) : undefined);
    if (!from) return;
    this.count = from.requests;
    this.failed = from.errors;
    this.dropped = from.dropped;
    this.sumMs = from.sumMs;
    this.minMs = from.requests === 0 ? Infinity : from.minMs;
    this.maxMs = from.maxMs;
  }

  toData(): WindowData {
    return {
      requests: this.count, errors: this.failed, dropped: this.dropped,
      sumMs: this.sumMs, minMs: this.count === 0 ? 0 : this.minMs, maxMs: this.maxMs,
      histogram: encodeHistogram(this.histogram),
    };
  }
}

export function mergeWindowData(a: WindowData, b: WindowData): WindowData {
  const live = new LiveWindow(a);
  live.histogram.add(decodeHistogram(b.histogram));
  live.count += b.requests;
  live.failed += b.errors;
  live.dropped += b.dropped;
  live.sumMs += b.sumMs;
  if (b.requests > 0) live.minMs = Math.min(live.minMs, b.minMs);
  live.maxMs = Math.max(live.maxMs, b.maxMs);
  return live.toData();
}

/** Merges windows keyed by index (string keys, as in JSON). */
export function mergeWindowMaps(a: Record<string, WindowData>, b: Record<string, WindowData>): Record<string, WindowData> {
  const out: Record<string, WindowData> = { ...a };
  for (const [key, w] of Object.entries(b)) out[key] = out[key] ? mergeWindowData(out[key], w) : w;
  return out;
}

/**
 * Windows of one width from an origin, indexed by floor((t - origin) / width). Only
 * recent windows keep a live histogram: once the newest end time seen is `closeAfterMs`
 * past a window's end, it is encoded and its histogram dropped, so memory stays flat
 * however long the run. A late request (one that hung longer than that) reopens its
 * window from the encoded form, so lateness costs time, never correctness.
 */
export class WindowSeries {
  private readonly open = new Map<number, LiveWindow>();
  private readonly closed = new Map<number, WindowData>();
  private lastIndex = NaN;
  private last: LiveWindow | undefined;

  constructor(readonly originMs: number, readonly widthMs: number) {}

  at(index: number): LiveWindow {
    if (index === this.lastIndex && this.last) return this.last;
    let w = this.open.get(index);
    if (!w) {
      const done = this.closed.get(index);
      w = new LiveWindow(done);
      if (done) this.closed.delete(index);
      this.open.set(index, w);
    }
    this.lastIndex = index;
    this.last = w;
    return w;
  }

  indexOf(epochMs: number): number {
    return Math.floor((epochMs - this.originMs) / this.widthMs);
  }

  /** Encodes every open window that ended before `epochMs`. */
  closeBefore(epochMs: number): void {
    for (const [index, w] of this.open) {
      if (this.originMs + (index + 1) * this.widthMs > epochMs) continue;
      this.closed.set(index, w.toData());
      this.open.delete(index);
      if (index === this.lastIndex) this.last = undefined;
    }
  }

  finish(): Record<string, WindowData> {
    this.closeBefore(Infinity);
    const out: Record<string, WindowData> = {};
    for (const index of [...this.closed.keys()].sort((x, y) => x - y)) out[String(index)] = this.closed.get(index)!;
    return out;
  }
}

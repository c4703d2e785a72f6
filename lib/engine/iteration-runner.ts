import type { ResponseView } from '../scenario/types.ts';
import { isExpectedStatus } from '../scenario/request-plan.ts';
import type { Clock } from '../clock/index.ts';
import { Deadlines } from './deadlines.ts';
import { classifyError, REQUEST_TIMEOUT, type RequestError } from './error-codes.ts';
import { Exchange, type ExchangeOwner } from './exchange.ts';
import { requestBytes, type PreparedRequest, type RequestMix } from './request-mix.ts';
import type { RequestSample, SampleOutput } from './samples.ts';
import type { IterationStarter } from './scheduler.ts';
import type { VuSlots } from './vu-slots.ts';
import type { WindowStats } from './window-stats.ts';

// Runs each started iteration: picks a request from the mix, sends it through undici,
// enforces its timeout, and turns the finished exchange into one RequestSample for the sink.

export interface RunCounts {
  sent: number;
  completed: number;
  failed: number;
  dropped: number;
  /** In flight when the load was cut (gracefulStop ran out, or abort): not recorded. */
  interrupted: number;
}

/** Where requests go (the engine's connection pools). */
export interface HttpDispatcher {
  dispatch(options: PreparedRequest['dispatch'], handler: Exchange): void;
}

const INTERRUPTED = new Error('iteration interrupted');
const TIMED_OUT = new Error('request timeout');

export class IterationRunner implements IterationStarter, ExchangeOwner {
  readonly counts: RunCounts = { sent: 0, completed: 0, failed: 0, dropped: 0, interrupted: 0 };
  private readonly free: Exchange[] = [];
  private readonly deadlines: Deadlines;
  private readonly sample: RequestSample = {
    endMs: 0, requestIndex: 0, status: 0, error: null, expected: false,
    blockedMs: 0, connectingMs: 0, sendingMs: 0, waitingMs: 0, receivingMs: 0, durationMs: 0,
    intendedMs: 0, iterationMs: 0, bytesSent: 0, bytesReceived: 0, statusCheck: false, userCheck: null,
  };
  private onIdle: (() => void) | null = null;

  constructor(
    readonly clock: Clock,
    private readonly mix: RequestMix,
    private readonly dispatcher: HttpDispatcher,
    private readonly vus: VuSlots,
    private readonly sink: SampleOutput,
    private readonly window: WindowStats,
    /** When the latest new connection finished and how long it took (see connecting in ended()). */
    private readonly connects: { lastEndMs: number; lastMs: number },
  ) {
    this.deadlines = new Deadlines(clock);
  }

  start(i: number, vu: number, dueMs: number, startMs: number): void {
    const req = this.mix.pick();
    const ex = this.free.pop() ?? new Exchange(this);
    ex.begin(req, i, vu, dueMs, startMs);
    ex.bytesSent = requestBytes(req, this.mix.encode(req, i, vu));
    this.counts.sent++;
    this.window.started++;
    this.deadlines.add(ex, startMs, req.def.timeoutMs);
    try {
      this.dispatcher.dispatch(req.dispatch, ex);
    } catch (error) {
      // Invalid options throw synchronously; record them like any failed request.
      ex.onError(error as Error);
    }
  }

  drop(_i: number, _dueMs: number, nowMs: number): void {
    this.counts.dropped++;
    this.window.dropped++;
    this.sink.dropped(nowMs);
  }

  ended(ex: Exchange, error: Error | null): void {
    this.record(ex, error ? classifyError(error) : null);
    this.release(ex);
    ex.retire(null);
  }

  timedOut(ex: Exchange, nowMs: number): void {
    ex.endMs = nowMs;
    this.record(ex, REQUEST_TIMEOUT);
    this.release(ex);
    ex.retire(TIMED_OUT);
  }

  recycle(ex: Exchange): void {
    if (ex.inFlight) return;
    ex.reset();
    this.free.push(ex);
  }

  /** Settles when no iteration is in flight. */
  whenIdle(): Promise<void> {
    if (this.vus.inUse === 0) return Promise.resolve();
    return new Promise((resolve) => { this.onIdle = resolve; });
  }

  /** Abandons every in-flight iteration (gracefulStop ran out, or abort): counted, not recorded. */
  interruptAll(): void {
    this.deadlines.forEachLive((item) => {
      const ex = item as Exchange;
      if (!ex.inFlight) return;
      this.counts.interrupted++;
      this.release(ex);
      ex.retire(INTERRUPTED);
    });
    this.deadlines.clear();
  }

  private record(ex: Exchange, error: RequestError | null): void {
    const s = this.sample;
    const def = ex.req.def;
    const status = error ? 0 : ex.status;
    const expected = status !== 0 && isExpectedStatus(status, def.expectStatus);
    s.endMs = ex.endMs;
    s.requestIndex = ex.req.index;
    s.status = status;
    s.error = error;
    s.expected = expected;
    phases(s, ex, this.connects);
    s.intendedMs = ex.endMs - ex.dueMs;
    s.iterationMs = ex.endMs - ex.startMs;
    s.bytesSent = ex.connectMs > 0 ? ex.bytesSent : 0;
    s.bytesReceived = ex.bytesReceived;
    s.statusCheck = expected;
    s.userCheck = def.check ? runCheck(def.check, ex, status) : null;
    this.counts.completed++;
    if (!expected) this.counts.failed++;
    this.window.record(s.durationMs, s.intendedMs, !expected);
    this.sink.request(s);
  }

  private release(ex: Exchange): void {
    this.vus.release(ex.vu);
    if (this.vus.inUse === 0 && this.onIdle) {
      const resolve = this.onIdle;
      this.onIdle = null;
      resolve();
    }
  }
}

/**
 * k6's request phases from the exchange's times. A request that never reached a socket has
 * every phase 0, as in k6. `connecting` is the duration of the latest new connection when
 * one was established while this request waited for its socket (undici does not say which
 * socket a request got, so under a burst of reconnects this is an attribution, not a trace).
 */
function phases(s: RequestSample, ex: Exchange, connects: { lastEndMs: number; lastMs: number }): void {
  const end = ex.endMs;
  if (ex.connectMs === 0) {
    s.blockedMs = s.connectingMs = s.sendingMs = s.waitingMs = s.receivingMs = s.durationMs = 0;
    return;
  }
  const sent = ex.sentMs || ex.connectMs;
  const firstByte = ex.firstByteMs || end;
  s.blockedMs = ex.connectMs - ex.startMs;
  s.connectingMs = connects.lastEndMs >= ex.startMs && connects.lastEndMs <= ex.connectMs ? Math.min(connects.lastMs, s.blockedMs) : 0;
  s.sendingMs = sent - ex.connectMs;
  s.waitingMs = Math.max(0, firstByte - sent);
  s.receivingMs = Math.max(0, end - Math.max(firstByte, sent));
  s.durationMs = s.sendingMs + s.waitingMs + s.receivingMs;
}

function runCheck(check: (res: ResponseView) => boolean, ex: Exchange, status: number): boolean {
  const headers: Record<string, string> = {};
  const raw = ex.rawHeaders ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2) headers[raw[i]!.toString('latin1').toLowerCase()] = raw[i + 1]!.toString('latin1');
  const body = status === 0 || !ex.chunks ? null : Buffer.concat(ex.chunks).toString('utf8');
  try {
    return check({ status, body, headers }) === true;
  } catch {
    return false;
  }
}

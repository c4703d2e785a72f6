import type { Clock } from '../clock/index.ts';
import type { Expirable } from './deadlines.ts';
import type { PreparedRequest } from './request-mix.ts';

// One request in flight, as an undici dispatch handler (undici's own fast handler shape:
// methods on a reused object, no closures). It only takes times and counts bytes; the
// runner turns a finished exchange into a sample. Exchanges are pooled: one is reused only
// after undici has made its last call on it.

/** What the runner does when an exchange ends. */
export interface ExchangeOwner {
  readonly clock: Clock;
  /** The request ended (response complete, or an error): record it. `error` is undici's. */
  ended(ex: Exchange, error: Error | null): void;
  /** The deadline passed while in flight. */
  timedOut(ex: Exchange, nowMs: number): void;
  /** undici is done with an exchange that was already recorded: it may be reused. */
  recycle(ex: Exchange): void;
}

const enum State { Idle, InFlight, Retired }

export class Exchange implements Expirable {
  gen = 0;
  state: number = State.Idle;
  req!: PreparedRequest;
  iteration = 0;
  vu = 0;
  /** Epoch ms: due, actual start, on a socket and about to write, request written, first response byte, end. */
  dueMs = 0;
  startMs = 0;
  connectMs = 0;
  sentMs = 0;
  firstByteMs = 0;
  endMs = 0;
  status = 0;
  bytesSent = 0;
  bytesReceived = 0;
  /** Raw response headers and body chunks, kept only when the request has a user check. */
  rawHeaders: Buffer[] | null = null;
  chunks: Buffer[] | null = null;
  private abortFn: ((err?: Error) => void) | null = null;

  constructor(private readonly owner: ExchangeOwner) {}

  begin(req: PreparedRequest, iteration: number, vu: number, dueMs: number, startMs: number): void {
    this.state = State.InFlight;
    this.req = req;
    this.iteration = iteration;
    this.vu = vu;
    this.dueMs = dueMs;
    this.startMs = startMs;
    this.connectMs = this.sentMs = this.firstByteMs = this.endMs = 0;
    this.status = 0;
    this.bytesReceived = 0;
    this.abortFn = null;
    const keep = req.def.check !== undefined;
    this.rawHeaders = null;
    this.chunks = keep ? [] : null;
  }

  /** Back to the pool: drops references to buffers. */
  reset(): void {
    this.state = State.Idle;
    this.chunks = this.rawHeaders = null;
  }

  get inFlight(): boolean {
    return this.state === State.InFlight;
  }

  /** Leaves the in-flight state (recorded or interrupted) and aborts the request if undici still has it. */
  retire(abortWith: Error | null): void {
    this.state = State.Retired;
    this.gen++;
    if (abortWith && this.abortFn) this.abortFn(abortWith);
  }

  expire(nowMs: number): void {
    if (this.state === State.InFlight) this.owner.timedOut(this, nowMs);
  }

  // --- undici's DispatchHandler (legacy shape: the one undici calls without a wrapper) ---

  onConnect(abort: (err?: Error) => void): void {
    // Retired before it reached a socket (timed out or interrupted): stop it now.
    if (this.state !== State.InFlight) return abort(new Error('request abandoned'));
    this.abortFn = abort;
    this.connectMs = this.owner.clock.now();
  }

  onRequestSent(): void {
    this.sentMs = this.owner.clock.now();
  }

  onResponseStarted(): void {
    this.firstByteMs = this.owner.clock.now();
  }

  onHeaders(status: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    if (this.state !== State.InFlight) return true;
    // 1xx informational responses are followed by the real one.
    if (status < 200) return true;
    this.status = status;
    // Status line, each `name: value\r\n`, and the blank line.
    let bytes = 15 + statusText.length + 2;
    for (let i = 0; i < rawHeaders.length; i++) bytes += rawHeaders[i]!.length + 2;
    this.bytesReceived += bytes;
    if (this.chunks) this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytesReceived += chunk.length;
    if (this.chunks && this.state === State.InFlight) this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.finish(null);
  }

  onError(error: Error): void {
    this.finish(error);
  }

  private finish(error: Error | null): void {
    if (this.state === State.InFlight) {
      this.endMs = this.owner.clock.now();
      this.owner.ended(this, error);
    }
    this.abortFn = null;
    this.owner.recycle(this);
  }
}

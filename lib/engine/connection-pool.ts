import { Client, errors, type Dispatcher } from 'undici';
import type { Clock } from '../clock/index.ts';
import { Fifo } from '../collections/index.ts';

// The connections to one origin: up to `max` undici Clients, one request at a time each.
// A request takes an idle connection. When none is idle it waits, in order, for one to
// free up; only a request that has waited DIAL_AFTER_MS dials a new connection, and at most
// MAX_DIALS dials are under way at once. The wait counts as http_req_blocked, as in k6
// ("waiting for a free TCP connection slot").
//
// Why: undici's Pool dials for every request that finds no idle connection (k6 gives each
// VU a connection of its own). Against a fast target a connection frees up within a
// fraction of a millisecond, while a dial costs both sides far more than a request. So
// when the engine fell behind (a cold start, a 20-50 ms stall of this machine's vCPU), a
// few hundred due iterations each dialled, the next ones were later still and dialled too,
// until maxVUs connections were open and iterations were dropped; with a thousand
// connections each request costs more than with twenty, so the run did not recover. A slow
// target still gets the connections it needs: its requests wait DIAL_AFTER_MS longer.

export const MAX_DIALS = 8;
/** How long a request waits for a connection to free up before it may dial a new one. */
export const DIAL_AFTER_MS = 10;

type Handler = Dispatcher.DispatchHandler;
type Options = Dispatcher.DispatchOptions;

interface Waiting {
  options: Options;
  handler: Handler;
  /** When it began to wait, epoch ms (the pool's clock). */
  sinceMs: number;
}

interface Connection {
  client: Client;
  connected: boolean;
  dialing: boolean;
}

export class ConnectionPool {
  private readonly all: Connection[] = [];
  private readonly idle: Connection[] = [];
  private readonly waiting = new Fifo<Waiting>();
  private dialing = 0;
  /** Wakes dialForWaiting() when the oldest waiting request will have waited DIAL_AFTER_MS. */
  private dialTimer: unknown;
  private destroyed = false;

  constructor(
    private readonly origin: string,
    private readonly max: number,
    private readonly clientOptions: Client.Options,
    private readonly clock: Clock,
    private readonly dialAfterMs = DIAL_AFTER_MS,
  ) {}

  dispatch(options: Options, handler: Handler): void {
    if (this.destroyed) return handler.onError!(new errors.ClientDestroyedError());
    const idle = this.idle.pop();
    if (idle) return this.send(idle, options, handler);
    if (this.all.length === 0) return this.send(this.open(), options, handler);
    // Copied: the caller may reuse its options object (body, headers) for its next request.
    this.waiting.push({ options: { ...options }, handler, sinceMs: this.clock.now() });
    this.armDialTimer();
  }

  private canDial(): boolean {
    return this.all.length < this.max && this.dialing < MAX_DIALS;
  }

  /** Dials for the waiting requests that waited DIAL_AFTER_MS without a connection freeing up. */
  private dialForWaiting(): void {
    const now = this.clock.now();
    while (this.hasWaiting() && this.canDial() && now - this.waiting.peek()!.sinceMs >= this.dialAfterMs) {
      const next = this.takeWaiting();
      this.send(this.open(), next.options, next.handler);
    }
    this.armDialTimer();
  }

  /** With no dial possible (MAX_DIALS under way, or max connections) there is nothing to time: dialed() calls back. */
  private armDialTimer(): void {
    if (this.dialTimer !== undefined || !this.hasWaiting() || !this.canDial()) return;
    const head = this.waiting.peek()!;
    this.dialTimer = this.clock.at(head.sinceMs + this.dialAfterMs, () => {
      this.dialTimer = undefined;
      this.dialForWaiting();
    });
  }

  /** Closes every connection; requests still waiting fail as undici fails a destroyed client's. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    if (this.dialTimer !== undefined) this.clock.cancel(this.dialTimer);
    this.dialTimer = undefined;
    while (this.hasWaiting()) this.takeWaiting().handler.onError!(new errors.ClientDestroyedError());
    await Promise.all(this.all.map((c) => c.client.destroy()));
  }

  private open(): Connection {
    const c: Connection = { client: new Client(this.origin, this.clientOptions), connected: false, dialing: false };
    this.all.push(c);
    c.client.on('connect', () => { c.connected = true; this.dialed(c); });
    c.client.on('connectionError', () => this.dialed(c));
    c.client.on('disconnect', () => { c.connected = false; });
    c.client.on('drain', () => this.freed(c));
    return c;
  }

  private send(c: Connection, options: Options, handler: Handler): void {
    // A connection that is not (or no longer) open dials when it gets a request.
    if (!c.connected && !c.dialing) {
      c.dialing = true;
      this.dialing++;
    }
    // With one request per connection, dispatch() always reports the client busy; it
    // emits 'drain' when it can take the next one.
    c.client.dispatch(options, handler);
  }

  private dialed(c: Connection): void {
    if (!c.dialing) return;
    c.dialing = false;
    this.dialing--;
    // A dial's end lets a request that has waited long enough dial in turn.
    this.dialForWaiting();
  }

  private freed(c: Connection): void {
    if (this.destroyed) return;
    if (this.hasWaiting()) {
      const next = this.takeWaiting();
      return this.send(c, next.options, next.handler);
    }
    this.idle.push(c);
  }

  private hasWaiting(): boolean {
    return this.waiting.size > 0;
  }

  private takeWaiting(): Waiting {
    return this.waiting.shift()!;
  }
}

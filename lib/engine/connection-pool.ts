import { Client, errors, type Dispatcher } from 'undici';

// The connections to one origin: up to `max` undici Clients, one request at a time each
// (a VU's connection, as in k6). A request takes an idle connection; when none is idle it
// dials a new one, but with MAX_DIALS dials already under way it waits for whichever comes
// first, a connection that frees up or a dial that completes.
//
// Why the limit: undici's Pool dials for every request that finds no idle connection. A
// hiccup of the machine (a 20-50 ms stall of a vCPU is common here) makes a few hundred
// iterations due at once at several thousand req/s; each dialled, dials cost both sides far
// more than a request on an open connection, so the next requests were later still and
// dialled too, until maxVUs connections were open and iterations were dropped. The
// waiting time counts as http_req_blocked, as in k6 ("waiting for a free TCP connection").

export const MAX_DIALS = 8;

type Handler = Dispatcher.DispatchHandler;
type Options = Dispatcher.DispatchOptions;

interface Connection {
  client: Client;
  connected: boolean;
  dialing: boolean;
}

export class ConnectionPool {
  private readonly all: Connection[] = [];
  private readonly idle: Connection[] = [];
  private readonly waiting: { options: Options; handler: Handler }[] = [];
  private waitingHead = 0;
  private dialing = 0;
  private destroyed = false;

  constructor(
    private readonly origin: string,
    private readonly max: number,
    private readonly clientOptions: Client.Options,
  ) {}

  dispatch(options: Options, handler: Handler): void {
    if (this.destroyed) return handler.onError!(new errors.ClientDestroyedError());
    const idle = this.idle.pop();
    if (idle) return this.send(idle, options, handler);
    if (this.all.length < this.max && this.dialing < MAX_DIALS) return this.send(this.open(), options, handler);
    // Copied: the caller may reuse its options object (body, headers) for its next request.
    this.waiting.push({ options: { ...options }, handler });
  }

  /** Closes every connection; requests still waiting fail as undici fails a destroyed client's. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    const left = this.waiting.splice(this.waitingHead);
    this.waitingHead = 0;
    for (const { handler } of left) handler.onError!(new errors.ClientDestroyedError());
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
    // A dial's end lets a waiting request dial in turn.
    if (this.hasWaiting() && this.all.length < this.max && this.idle.length === 0) {
      const next = this.takeWaiting();
      this.send(this.open(), next.options, next.handler);
    }
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
    return this.waitingHead < this.waiting.length;
  }

  private takeWaiting(): { options: Options; handler: Handler } {
    const next = this.waiting[this.waitingHead]!;
    this.waiting[this.waitingHead++] = undefined!;
    if (this.waitingHead === this.waiting.length) this.waiting.length = this.waitingHead = 0;
    return next;
  }
}

import type { Socket } from 'node:net';
import { buildConnector, type Client, type Dispatcher } from 'undici';
import type { Clock } from '../clock/index.ts';
import { ConnectionPool } from './connection-pool.ts';

// The engine's HTTP connections: one ConnectionPool per origin, up to maxVUs keep-alive
// connections each, no pipelining, and undici's own header/body timeouts off: each
// request's `timeout` is enforced by the engine over the whole request, as k6 does.
//
// Connections can be opened before the load (preconnect): undici then takes them as its
// first connections instead of dialling while the first requests wait (see
// connection-pool.ts for what dials cost at a start of thousands of requests a second).

/** The latest new connection: when it was established (epoch ms) and how long it took (ms). */
export interface ConnectTimes {
  lastEndMs: number;
  lastMs: number;
}

/** k6 dials with a 30 s timeout. */
const CONNECT_TIMEOUT_MS = 30_000;
/** How long the load's start may wait for its pre-opened connections. */
const PRECONNECT_WAIT_MS = 2000;

type ConnectOptions = Parameters<buildConnector.connector>[0];

export class EngineAgent {
  private readonly pools = new Map<string, ConnectionPool>();
  private readonly clientOptions: Client.Options;
  /** Connections dialled before the load, by `protocol//host`, not yet handed to undici. */
  private readonly opened = new Map<string, Opened[]>();
  private readonly dial = buildConnector({ timeout: CONNECT_TIMEOUT_MS });
  private destroyed = false;

  constructor(private readonly maxVUs: number, private readonly clock: Clock, private readonly connects: ConnectTimes) {
    this.clientOptions = {
      pipelining: 1,
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
      connect: (options, callback) => this.connect(options, callback as (e: Error | null, s: Socket | null) => void),
    };
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    const origin = options.origin as string;
    let pool = this.pools.get(origin);
    if (!pool) this.pools.set(origin, (pool = new ConnectionPool(origin, this.maxVUs, this.clientOptions, this.clock)));
    pool.dispatch(options, handler);
  }

  /**
   * Opens `count` connections to `origin` (at most 32 dials at a time) for the load's first
   * requests to use, giving up waiting after PRECONNECT_WAIT_MS. Resolves with how many are
   * open; a dial that fails is left to the load, which dials when it needs the connection.
   */
  async preconnect(origin: string, count: number): Promise<number> {
    const options = connectOptions(new URL(origin));
    const key = keyOf(options);
    const list = this.opened.get(key) ?? [];
    this.opened.set(key, list);
    let left = count;
    let giveUp: unknown;
    const one = async (): Promise<void> => {
      while (left > 0) {
        left--;
        const socket = await new Promise<Socket | null>((resolve) => {
          this.dial(options, (error, s) => resolve(error ? null : (s as Socket)));
        });
        if (!socket) continue;
        if (this.destroyed) { socket.destroy(); continue; }
        // The target may close it before the load needs it.
        const entry: Opened = { socket, forget: () => { const i = list.indexOf(entry); if (i >= 0) list.splice(i, 1); } };
        socket.once('close', entry.forget);
        list.push(entry);
      }
    };
    await Promise.race([
      Promise.all(Array.from({ length: Math.min(32, count) }, one)),
      new Promise<void>((resolve) => { giveUp = this.clock.at(this.clock.now() + PRECONNECT_WAIT_MS, () => { left = 0; resolve(); }); }),
    ]);
    this.clock.cancel(giveUp);
    return list.length;
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const list of this.opened.values()) for (const { socket } of list.splice(0)) socket.destroy();
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy()));
  }

  private connect(options: ConnectOptions, callback: (error: Error | null, socket: Socket | null) => void): void {
    const list = this.opened.get(keyOf(options));
    for (let opened = list?.pop(); opened; opened = list!.pop()) {
      opened.socket.off('close', opened.forget);
      // Never synchronously: undici ignores a resume made while it is resuming.
      const { socket } = opened;
      if (socket.writable) return queueMicrotask(() => callback(null, socket));
      opened.socket.destroy();
    }
    const startMs = this.clock.now();
    this.dial(options, (error, socket) => {
      if (!error) {
        this.connects.lastEndMs = this.clock.now();
        this.connects.lastMs = this.connects.lastEndMs - startMs;
      }
      callback(error, socket as Socket | null);
    });
  }
}

interface Opened {
  socket: Socket;
  forget(): void;
}

const keyOf = (o: ConnectOptions) => `${o.protocol}//${o.host}`;

/** What undici's Client passes its connector for `url` (IPv6 brackets dropped from hostname). */
function connectOptions(url: URL): ConnectOptions {
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { host: url.host, hostname, protocol: url.protocol, port: url.port, servername: undefined, localAddress: null };
}

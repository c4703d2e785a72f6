import { createServer, type Server, type Socket } from 'node:net';
import { joinHostPort, resolveListenHost, splitHostPort, type HostPort } from './address.ts';
import { Connection } from './connection.ts';
import type { ProxyFields } from './input.ts';
import { ToxicCollection, type ToxicJson } from './toxic-collection.ts';

/** The API's view of a proxy, in Toxiproxy's field order. */
export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

/**
 * One proxy: a listener on `listen` whose every client connection is joined to `upstream`
 * through the proxy's toxics. Disabled, it listens nowhere and has no connections.
 */
export class Proxy {
  enabled = false;
  readonly toxics = new ToxicCollection();
  private server: Server | undefined;
  /** Settles when the last stop's listener and sockets have reported their close. */
  private closing: Promise<void> = Promise.resolve();
  private readonly connections = new Set<Connection>();
  private upstreamAddress: HostPort | undefined;

  constructor(
    readonly name: string,
    /** As given until the proxy starts; then the address bound (`127.0.0.1:0` becomes the real port). */
    public listen: string,
    /** Kept exactly as given; resolved only when a client connects. */
    public upstream: string,
  ) {
    this.setUpstream(upstream);
  }

  /** Starts listening (no-op when enabled). Throws an Error with Go's listen message on failure. */
  async start(): Promise<void> {
    if (this.enabled) return;
    await this.closing;
    const { server, address } = await listenOn(this.listen, this.accept);
    this.server = server;
    this.listen = address;
    this.enabled = true;
  }

  /**
   * Stops listening and closes every open connection (no-op when disabled). The fault is in
   * effect when this returns: the listener accepts nothing more and every client socket is
   * closed, which is all the proxy's users can see. The upstream sockets, which nothing can
   * reach any more, are closed on the next turn of the loop and their close callbacks are not
   * awaited, so that a `down` answers as soon as it is in effect; `closed()` waits for them.
   */
  stop(): Promise<void> {
    const server = this.server;
    if (!this.enabled || !server) return Promise.resolve();
    this.enabled = false;
    this.server = undefined;
    this.closing = new Promise<void>((resolve) => server.close(() => resolve()));
    const cut = [...this.connections];
    for (const connection of cut) connection.closeClient();
    setImmediate(() => {
      for (const connection of cut) connection.destroy();
    });
    return Promise.resolve();
  }

  /** Settles once everything the last stop() closed has reported its close. */
  closed(): Promise<void> {
    return this.closing;
  }

  /** Toxiproxy's update: a new listen or upstream restarts the proxy; `enabled` starts or stops it. */
  async update(fields: ProxyFields): Promise<void> {
    const listen = fields.listen ?? this.listen;
    const upstream = fields.upstream ?? this.upstream;
    const enabled = fields.enabled ?? this.enabled;
    if (listen !== this.listen || upstream !== this.upstream) {
      await this.stop();
      await this.closed();
      this.listen = listen;
      this.setUpstream(upstream);
    }
    if (enabled && !this.enabled) await this.start();
    if (!enabled && this.enabled) await this.stop();
  }

  toJSON(): ProxyJson {
    return { name: this.name, listen: this.listen, upstream: this.upstream, enabled: this.enabled, toxics: this.toxics.list().map((t) => t.toJSON()) };
  }

  private setUpstream(upstream: string): void {
    this.upstream = upstream;
    const parsed = splitHostPort(upstream);
    this.upstreamAddress = 'error' in parsed ? undefined : parsed;
  }

  private readonly accept = (client: Socket): void => {
    const connection = new Connection(client, this.toxics, this.forget);
    this.connections.add(connection);
    connection.dial(this.upstreamAddress);
  };

  private readonly forget = (connection: Connection): void => {
    this.connections.delete(connection);
  };
}

// Go's words for the usual bind failures, so messages read like Toxiproxy's.
const BIND_ERRORS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EACCES: 'permission denied',
};

async function listenOn(listen: string, onConnection: (socket: Socket) => void): Promise<{ server: Server; address: string }> {
  // An empty listen address is Go's ":0": a free port (on loopback here, see resolveListenHost).
  const parsed = listen === '' ? { host: '', port: 0 } : splitHostPort(listen);
  // Go names no address when it cannot parse one: `listen tcp: address x: missing port in address`.
  if ('error' in parsed) throw new Error(`listen tcp: ${parsed.error}`);
  const ip = await resolveListenHost(parsed.host).catch(() => {
    throw new Error(`listen tcp: lookup ${parsed.host}: no such host`);
  });
  // Half-open kept so each direction's FIN travels on its own; TCP_NODELAY as Go sets it.
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const words = BIND_ERRORS[error.code ?? ''];
      reject(new Error(words ? `listen tcp ${listen}: bind: ${words}` : `listen tcp ${listen}: ${error.message}`));
    });
    server.listen({ host: ip, port: parsed.port }, resolve);
  });
  server.on('error', () => undefined); // after listening, accept errors are not fatal
  const bound = server.address();
  const address = bound !== null && typeof bound === 'object' ? joinHostPort(bound.address, bound.port) : listen;
  return { server, address };
}

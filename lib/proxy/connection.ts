import { connect, type Socket } from 'node:net';
import type { HostPort } from './address.ts';
import { Link, type LinkOwner } from './link.ts';
import type { ToxicCollection } from './toxic-collection.ts';

/**
 * One client connection through a proxy: the client socket, the socket to the upstream, and
 * a link for each direction. It owns both sockets and closes both on every exit path: a
 * socket error, a toxic's close or reset, the proxy being disabled or removed.
 */
export class Connection implements LinkOwner {
  private upstream: Socket | undefined;
  private readonly links: Link[] = [];
  private gone = false;

  constructor(
    private readonly client: Socket,
    private readonly toxics: ToxicCollection,
    private readonly onGone: (connection: Connection) => void,
  ) {
    client.on('error', this.destroy);
    client.on('close', this.onSocketClose);
  }

  /** Dials the upstream; the client is read only once it answers (the client socket starts paused). */
  dial(target: HostPort | undefined): void {
    if (!target) {
      this.destroy(); // an upstream that is not host:port: the client is closed, as Toxiproxy does
      return;
    }
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    this.upstream = upstream;
    upstream.on('error', this.destroy);
    upstream.on('close', this.onSocketClose);
    upstream.once('connect', this.start);
  }

  /** Closes both sockets (FIN; what was written is flushed by the kernel). */
  readonly destroy = (): void => {
    if (this.gone) return;
    this.client.destroy();
    this.upstream?.destroy();
    this.release();
  };

  /** Closes the client's side only, and stops both links: nothing more flows either way (destroy() closes the rest). */
  closeClient(): void {
    if (this.gone) return;
    this.client.destroy();
    for (const link of this.links) link.destroy();
  }

  /** After a toxic ended the stream (limit_data, timeout): Toxiproxy closes the whole connection. */
  close(): void {
    this.destroy();
  }

  /** Sends a TCP RST to both peers (reset_peer). */
  reset(): void {
    if (this.gone) return;
    this.client.resetAndDestroy();
    this.upstream?.resetAndDestroy();
    this.release();
  }

  private readonly start = (): void => {
    if (this.gone || !this.upstream) return;
    this.links.push(new Link('upstream', this.client, this.upstream, this), new Link('downstream', this.upstream, this.client, this));
    for (const link of this.links) {
      this.toxics.attach(link);
      link.start(this.toxics.chain(link.direction));
    }
  };

  /** Both sockets closed on their own (each side's FIN went through): the connection is done. */
  private readonly onSocketClose = (): void => {
    if (this.client.destroyed && (this.upstream === undefined || this.upstream.destroyed)) this.release();
    else if (this.upstream?.connecting) this.destroy(); // the client left while we were dialing
  };

  private release(): void {
    if (this.gone) return;
    this.gone = true;
    for (const link of this.links) {
      link.destroy();
      this.toxics.detach(link);
    }
    this.onGone(this);
  }
}

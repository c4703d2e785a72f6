// A TCP link the tests control, between the demo service and a dependency: it passes data,
// stalls (accepts and holds connections, dropping their data, as toxiproxy's `timeout`
// toxic does), delays every chunk by SLOW_MS (`slow`), resets every connection, or is down
// (listener closed, connections closed).
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type LinkMode = 'pass' | 'slow' | 'stall' | 'reset' | 'down';

/** The delay `slow` adds to each chunk, in each direction, in ms. */
export const SLOW_MS = 300;

export interface FaultLink {
  port: number;
  mode: LinkMode;
  setMode(mode: LinkMode): Promise<void>;
  close(): Promise<void>;
}

/** Starts a link on 127.0.0.1 (a free port) to `upstreamPort`, passing data. */
export async function startFaultLink(upstreamPort: number): Promise<FaultLink> {
  let mode: LinkMode = 'pass';
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('close', () => sockets.delete(s));
  };
  const onConnection = (client: Socket): void => {
    track(client);
    if (mode === 'reset') return void client.resetAndDestroy();
    const upstream = connect(upstreamPort, '127.0.0.1');
    track(upstream);
    const forward = (to: Socket) => (d: Buffer): void => {
      if (mode === 'pass') to.write(d);
      else if (mode === 'slow') setTimeout(() => to.write(d), SLOW_MS);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  };

  let server: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
  await listen(0);
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    get mode() {
      return mode;
    },
    async setMode(next) {
      const wasDown = mode === 'down';
      mode = next;
      if (next === 'reset') for (const s of sockets) s.resetAndDestroy();
      if (next === 'down' && !wasDown) {
        for (const s of sockets) s.destroy();
        await stopListening();
      }
      if (next !== 'down' && wasDown) {
        server = createServer(onConnection);
        await listen(port);
      }
    },
    async close() {
      for (const s of sockets) s.destroy();
      if (mode !== 'down') await stopListening();
      mode = 'down';
    },
  };
}

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export { freeListenPort } from '../../lib/host/index.ts';

export interface TestHttpServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** A small real HTTP server on 127.0.0.1 and an ephemeral port. */
export async function startHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestHttpServer> {
  const server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export interface CountingServer extends TestHttpServer {
  /** Arrival times (performance.now(), ms) of every request, counted at the server. */
  arrivals: number[];
}

/** A real server that records when each request arrives; `handler` answers (default: 200 "ok" at once). */
export async function startCountingServer(handler?: (req: IncomingMessage, res: ServerResponse) => void): Promise<CountingServer> {
  const arrivals: number[] = [];
  const answer = handler ?? ((_req: IncomingMessage, res: ServerResponse) => { res.end('ok'); });
  const server = await startHttpServer((req, res) => {
    arrivals.push(performance.now());
    answer(req, res);
  });
  return { ...server, arrivals };
}

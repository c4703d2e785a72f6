import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';

/** A free TCP port on 127.0.0.1, chosen by the OS (never a fixed port in tests). */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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

/**
 * A free port below Linux's ephemeral range, for a proxy's listen address (see
 * scripts/ports.ts for why).
 */
export { freeLoopbackPort as freeListenPort } from '../../scripts/ports.ts';

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

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

/**
 * A real server like startCountingServer, on a worker thread of its own: each arrival is
 * timed there (epoch ms, the process's one clock) as the request comes in, so a busy main
 * loop (a load engine in this process) cannot make requests look later than they were.
 */
export async function startCountingServerThread(): Promise<{ port: number; arrivals: number[]; close(): Promise<void> }> {
  const worker = new Worker(`
    const { parentPort } = require('node:worker_threads');
    const server = require('node:http').createServer((req, res) => {
      parentPort.postMessage(performance.timeOrigin + performance.now());
      res.end('ok');
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
    parentPort.once('message', () => { server.closeAllConnections(); server.close(() => parentPort.close()); });
  `, { eval: true });
  const arrivals: number[] = [];
  const port = await new Promise<number>((resolve) => {
    worker.on('message', (m: number | { port: number }) => {
      if (typeof m === 'number') arrivals.push(m);
      else resolve(m.port);
    });
  });
  const exited = once(worker, 'exit');
  return { port, arrivals, close: async () => { worker.postMessage('close'); await exited; } };
}

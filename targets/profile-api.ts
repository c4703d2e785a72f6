// The demo's second dependency: a tiny HTTP JSON API of user profiles, for the cascading
// scenario. GET /profiles/:id answers 200 {"id","name"} for ids of letters, digits, _ and -,
// and 404 otherwise; every other route is 404.
//
//   node --import tsx targets/profile-api.ts --port 18080 [--host 127.0.0.1]
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { isMain, listenHttp, parsePort, runUntilSignal } from './cli.ts';

export interface ProfileApiOptions {
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 0: a free port chosen by the OS. */
  port?: number;
}

export interface ProfileApi {
  port: number;
  url: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

const PROFILE_PATH = /^\/profiles\/([A-Za-z0-9_-]{1,64})$/;

function handle(req: IncomingMessage, res: ServerResponse): void {
  const match = req.method === 'GET' ? PROFILE_PATH.exec(req.url ?? '') : null;
  const body = match ? JSON.stringify({ id: match[1], name: `User ${match[1]}` }) : '{"error":"not found"}';
  res.writeHead(match ? 200 : 404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Starts the API on `host:port` (default 127.0.0.1 and a free port). */
export async function startProfileApi(options: ProfileApiOptions = {}): Promise<ProfileApi> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer({ keepAliveTimeout: 60_000 }, handle);
  const { port, url } = await listenHttp(server, host, options.port ?? 0);
  return {
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
  runUntilSignal(async () => {
    const api = await startProfileApi({ host: values.host, port: parsePort(values.port, '--port', 18080) });
    process.stdout.write(`profile-api listening on ${api.url}\n`);
    return api;
  });
}

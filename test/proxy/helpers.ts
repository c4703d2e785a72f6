import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { startProxyServer } from '../../lib/proxy/index.ts';

// Small real servers and clients on 127.0.0.1 with ephemeral ports for the proxy's tests.

export interface ApiAnswer {
  status: number;
  contentType: string | null;
  text: string;
  json: any;
}

export interface TestApi {
  url: string;
  /** One raw HTTP call; `body` is sent as is when a string, else as JSON. */
  call(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  close(): Promise<void>;
}

export async function startApi(): Promise<TestApi> {
  const server = await startProxyServer({ port: 0 });
  const call = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(server.url + path, { method, body: payload });
    const text = await res.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, contentType: res.headers.get('content-type'), text, json };
  };
  return { url: server.url, call, close: () => server.close() };
}

/** Creates a proxy on a free port to `upstreamPort` and returns the port it listens on. */
export async function addProxy(api: TestApi, name: string, upstreamPort: number, extra: object = {}): Promise<number> {
  const answer = await api.call('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}`, ...extra });
  if (answer.status !== 201) throw new Error(`create proxy ${name}: ${answer.status} ${answer.text}`);
  return portOf(answer.json.listen);
}

export const portOf = (address: string): number => Number(address.slice(address.lastIndexOf(':') + 1));

export interface TestTcpServer {
  port: number;
  /** Every socket accepted so far. */
  sockets: Socket[];
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1; `onSocket` decides what it does (default: echo). */
export async function startTcpServer(onSocket: (socket: Socket) => void = (s) => s.pipe(s)): Promise<TestTcpServer> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sockets,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A client socket with everything it receives, and how it ended. */
export interface TestClient {
  socket: Socket;
  received(): Buffer;
  /** Arrival time (performance.now(), ms) of each chunk received. */
  arrivals: number[];
  /** Resolves with `end` (FIN), or the error code (`ECONNRESET`), when the socket closes. */
  closed: Promise<string>;
  /** Resolves once at least `bytes` bytes have arrived (rejects after `timeoutMs`). */
  waitFor(bytes: number, timeoutMs?: number): Promise<Buffer>;
}

export async function connectClient(port: number): Promise<TestClient> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  const chunks: Buffer[] = [];
  const arrivals: number[] = [];
  let size = 0;
  let waiters: Array<() => void> = [];
  let how = 'end';
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    arrivals.push(performance.now());
    size += chunk.length;
    for (const w of waiters) w();
  });
  socket.on('error', (error: NodeJS.ErrnoException) => { how = error.code ?? error.message; });
  const closed = new Promise<string>((resolve) => socket.on('close', () => { for (const w of waiters) w(); resolve(how); }));
  const received = () => Buffer.concat(chunks);
  const waitFor = (bytes: number, timeoutMs = 3000) => new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${size} of ${bytes} bytes in ${timeoutMs} ms`)), timeoutMs);
    const check = () => {
      if (size >= bytes) { clearTimeout(timer); waiters = waiters.filter((w) => w !== check); resolve(received()); }
      else if (socket.destroyed) { clearTimeout(timer); reject(new Error(`closed after ${size} of ${bytes} bytes`)); }
    };
    waiters.push(check);
    check();
  });
  return { socket, received, arrivals, closed, waitFor };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with what `promise` gave, or `onTimeout` after `ms` (to prove something did NOT happen). */
export function within<T, U>(promise: Promise<T>, ms: number, onTimeout: U): Promise<T | U> {
  return Promise.race([promise, sleep(ms).then(() => onTimeout)]);
}

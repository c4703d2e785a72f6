// A tiny in-memory server that speaks the Redis protocol (RESP2): enough of Redis for the
// demo service, so a fresh machine needs no Redis. Commands: PING, ECHO, GET, SET (NX|XX),
// DEL, EXISTS, INCR, FLUSHALL, QUIT. Pipelined commands are answered in order; anything else
// answers `-ERR unknown command`.
//
//   node --import tsx targets/kv-store.ts --port 16379 [--host 127.0.0.1]
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { isMain, parsePort, runUntilSignal } from './cli.ts';
import { bulk, error, integer, NULL_BULK, OK, parseCommand, RespProtocolError, simple } from './resp.ts';

export interface KvStoreOptions {
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 0: a free port chosen by the OS. */
  port?: number;
}

export interface KvStore {
  port: number;
  /** Stops listening and closes every client connection. */
  close(): Promise<void>;
}

type Data = Map<string, string>;
/** A command's reply; `close` asks to end the connection once the reply is written. */
type Reply = string | { reply: string; close: true };

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** The commands, by lower-case name: [arity (negative = at least), handler]. Arity counts the name. */
const COMMANDS: Record<string, [number, (data: Data, args: string[]) => Reply]> = {
  ping: [-1, (_, a) => (a.length > 2 ? wrongArgs('ping') : a.length === 2 ? bulk(a[1]) : simple('PONG'))],
  echo: [2, (_, a) => bulk(a[1])],
  get: [2, (d, a) => bulk(d.get(a[1]!))],
  set: [-3, set],
  del: [-2, (d, a) => integer(a.slice(1).filter((k) => d.delete(k)).length)],
  exists: [-2, (d, a) => integer(a.slice(1).filter((k) => d.has(k)).length)],
  incr: [2, incr],
  flushall: [-1, (d) => (d.clear(), OK)],
  quit: [1, () => ({ reply: OK, close: true })],
};

function set(data: Data, args: string[]): Reply {
  const [, key, value] = args as [string, string, string];
  const flags = args.slice(3).map((f) => f.toLowerCase());
  const nx = flags.includes('nx');
  const xx = flags.includes('xx');
  if ((nx && xx) || flags.some((f) => f !== 'nx' && f !== 'xx')) return error('ERR syntax error');
  if ((nx && data.has(key)) || (xx && !data.has(key))) return NULL_BULK;
  data.set(key, value);
  return OK;
}

function incr(data: Data, args: string[]): Reply {
  const key = args[1]!;
  const text = data.get(key) ?? '0';
  const current = /^-?\d{1,19}$/.test(text) ? BigInt(text) : undefined;
  if (current === undefined || current > INT64_MAX || current < INT64_MIN) return error('ERR value is not an integer or out of range');
  if (current === INT64_MAX) return error('ERR increment or decrement would overflow');
  const next = (current + 1n).toString();
  data.set(key, next);
  return `:${next}\r\n`;
}

const wrongArgs = (name: string): string => error(`ERR wrong number of arguments for '${name}' command`);

function execute(data: Data, args: string[]): Reply {
  const name = args[0]!.toLowerCase();
  const command = COMMANDS[name];
  if (!command) return error(`ERR unknown command '${args[0]}'`);
  const [arity, handler] = command;
  if (arity > 0 ? args.length !== arity : args.length < -arity) return wrongArgs(name);
  return handler(data, args);
}

/** Serves one client: reads commands as they complete and writes their replies in order. */
function serveConnection(socket: Socket, data: Data): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy()); // a client that vanishes is not the server's problem
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let out = '';
    let offset = 0;
    try {
      for (let cmd = parseCommand(pending, offset); cmd; cmd = parseCommand(pending, offset)) {
        offset = cmd.end;
        if (cmd.args.length === 0) continue; // an empty inline line
        const reply = execute(data, cmd.args);
        if (typeof reply !== 'string') {
          socket.end(out + reply.reply);
          return;
        }
        out += reply;
      }
    } catch (err) {
      if (!(err instanceof RespProtocolError)) throw err;
      socket.end(out + error(`ERR Protocol error: ${err.message}`));
      return;
    }
    pending = offset === pending.length ? Buffer.alloc(0) : pending.subarray(offset);
    if (out) socket.write(out);
  });
}

/** Starts the store on `host:port` (default 127.0.0.1 and a free port). */
export async function startKvStore(options: KvStoreOptions = {}): Promise<KvStore> {
  const data: Data = new Map();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, data);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
  runUntilSignal(async () => {
    const host = values.host ?? '127.0.0.1';
    const store = await startKvStore({ host, port: parsePort(values.port, '--port', 16379) });
    process.stdout.write(`kv-store listening on ${host}:${store.port}\n`);
    return store;
  });
}

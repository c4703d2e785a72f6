/*
 * The demo service: the system under test of the shipped scenarios. One node:http process
 * whose requests need dependencies reached through the fault proxy.
 *
 * Dependencies
 *   store     a Redis-protocol store (`--store HOST:PORT`: the kv-store target or a real
 *             redis-server) holding token records; seeded with t-0..t-99 (valid) with SET NX
 *             on every new connection.
 *   profiles  an HTTP JSON API (`--profiles HOST:PORT`: the profile-api target), optional.
 *
 * Resilience behaviour
 *   - Timeouts: a store call fails after `dependencyTimeoutMs` (default 100 ms); a profile call
 *     after `profileTimeoutMs` (default 200 ms). A proxy that is down, slow, stalled, reset or
 *     drip-feeding data ends each request with a bounded failure, never a hang; a down store
 *     fails calls at once (no queueing), and the connection is retried every 75 ms.
 *   - POST /verify {"token": "..."}: reads the token's record from the store; 200
 *     {"valid":true|false,"source":"store"} and the answer is cached (LRU, 10 000 tokens).
 *     When the store fails or times out, or its circuit is open: 200 {"valid":...,
 *     "source":"cache"} if the token is cached, else 503 (no fallback): a token the service
 *     has not seen while the store was up has no fallback. 400 on a bad body.
 *     `--cache-size 0` turns the cache, and so the fallback, off.
 *   - GET /profile/:id: the profile from the profile API (200), its 404 passed on; 503 when
 *     the API fails, times out or answers 5xx, or its circuit is open (no fallback).
 *   - One circuit breaker per dependency: it opens after 5 consecutive failures; while open,
 *     requests skip the dependency (the store's go straight to the cache); after a 500 ms
 *     cool-down one request probes it (half-open): success closes the circuit, failure
 *     re-opens it for another cool-down.
 *   - GET /health: always 200 {"status":"ok","circuit":{"store":"closed|open|half-open",
 *     "profiles":...}}; it never touches a dependency.
 *   - Log: one JSON line on stdout per change of a circuit's state, {"time": ISO time,
 *     "circuit": "store"|"profiles", "state": "open"|"half-open"|"closed"}. A circuit that
 *     goes from half-open to closed has just had its first answer from the dependency since
 *     it opened. No logging per request.
 *
 *   node --import tsx targets/demo-service.ts --port 8080 --store 127.0.0.1:26379 \
 *     [--profiles 127.0.0.1:28080] [--dependency-timeout 100] [--cache-size 10000]
 *   (or DEMO_PORT, DEMO_STORE, DEMO_PROFILES, DEMO_DEPENDENCY_TIMEOUT_MS, DEMO_CACHE_SIZE)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.ts';
import { isMain, listenHttp, parseHostPort, parsePort, runUntilSignal, type HostPort } from './cli.ts';
import { ProfileFeature, TokenVerifier } from './demo-features.ts';

export interface DemoServiceOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** The Redis-protocol store (through the proxy), `host:port`. */
  store: string | HostPort;
  /** The profile API (through the proxy), `host:port`; without it /profile answers 503. */
  profiles?: string | HostPort;
  /** Bound on one store call, in ms (default 100). */
  dependencyTimeoutMs?: number;
  /** Bound on one profile call, in ms (default 200). */
  profileTimeoutMs?: number;
  /** Consecutive failures that open a circuit (default 5). */
  failureThreshold?: number;
  /** Time a circuit stays open before a probe, in ms (default 500). */
  coolDownMs?: number;
  /** Tokens kept for the fallback (default 10 000); 0: no cache, no fallback. */
  cacheSize?: number;
  /** Called on every change of a circuit's state (the CLI prints it as the circuit log). */
  onCircuitChange?: (change: CircuitChange) => void;
}

/** One line of the circuit log. */
export interface CircuitChange {
  /** ISO time of the change. */
  time: string;
  circuit: 'store' | 'profiles';
  state: CircuitState;
}

export interface DemoService {
  port: number;
  url: string;
  /** The circuits' states, as /health reports them. */
  circuits(): Record<string, CircuitState>;
  /** Stops listening, closes every connection and the dependency clients. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4096;
const JSON_HEADERS = { 'content-type': 'application/json' };

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, JSON_HEADERS).end(body);
}

/** Reads a small request body; undefined when it exceeds MAX_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function tokenOf(body: string): string | undefined {
  try {
    const token = (JSON.parse(body) as { token?: unknown } | null)?.token;
    return typeof token === 'string' && token.length > 0 && token.length <= 256 ? token : undefined;
  } catch {
    return undefined;
  }
}

function decodePath(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment) || undefined;
  } catch {
    return undefined;
  }
}

const address = (a: string | HostPort, what: string): HostPort => (typeof a === 'string' ? parseHostPort(a, what) : a);

/** Starts the service; resolves once it listens (the dependencies may still be unreachable). */
export async function startDemoService(options: DemoServiceOptions): Promise<DemoService> {
  const onChange = options.onCircuitChange;
  const breaker = (circuit: CircuitChange['circuit']) => new CircuitBreaker({
    failureThreshold: options.failureThreshold, coolDownMs: options.coolDownMs,
    onChange: onChange && ((state) => onChange({ time: new Date().toISOString(), circuit, state })),
  });
  const verifier = new TokenVerifier(address(options.store, 'store'), breaker('store'), {
    timeoutMs: options.dependencyTimeoutMs ?? 100,
    cacheSize: options.cacheSize ?? 10_000,
  });
  const profiles = options.profiles === undefined
    ? undefined
    : new ProfileFeature(address(options.profiles, 'profiles'), breaker('profiles'), options.profileTimeoutMs ?? 200);
  const circuits = (): Record<string, CircuitState> =>
    profiles ? { store: verifier.circuit, profiles: profiles.circuit } : { store: verifier.circuit };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    if (req.method === 'POST' && url === '/verify') {
      const body = await readBody(req);
      if (body === undefined) return send(res, 413, '{"error":"body too large"}');
      const token = tokenOf(body);
      if (token === undefined) return send(res, 400, '{"error":"expected {\\"token\\": \\"...\\"}"}');
      const [status, json] = await verifier.verify(token);
      return send(res, status, json);
    }
    if (req.method === 'GET' && url === '/health') {
      return send(res, 200, JSON.stringify({ status: 'ok', circuit: circuits() }));
    }
    if (req.method === 'GET' && url.startsWith('/profile/')) {
      if (!profiles) return send(res, 503, '{"error":"profiles not configured"}');
      const id = decodePath(url.slice('/profile/'.length));
      if (!id) return send(res, 400, '{"error":"expected /profile/:id"}');
      const [status, json] = await profiles.get(id);
      return send(res, status, json);
    }
    send(res, 404, '{"error":"not found"}');
  };

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, '{"error":"internal"}');
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  const { port, url } = await listenHttp(server, host, options.port ?? 0);
  return {
    port,
    url,
    circuits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([verifier.close(), profiles?.close()]);
    },
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' }, host: { type: 'string' }, store: { type: 'string' },
      profiles: { type: 'string' }, 'dependency-timeout': { type: 'string' }, 'cache-size': { type: 'string' },
    },
  });
  const env = process.env;
  runUntilSignal(async () => {
    const store = values.store ?? env.DEMO_STORE;
    if (!store) throw new Error('--store HOST:PORT is required (the Redis-protocol store, through the proxy)');
    const timeout = values['dependency-timeout'] ?? env.DEMO_DEPENDENCY_TIMEOUT_MS;
    const dependencyTimeoutMs = timeout === undefined ? undefined : Number(timeout);
    if (dependencyTimeoutMs !== undefined && !(dependencyTimeoutMs > 0)) throw new Error(`--dependency-timeout: expected ms > 0, got "${timeout}"`);
    const size = values['cache-size'] ?? env.DEMO_CACHE_SIZE;
    const cacheSize = size === undefined ? undefined : Number(size);
    if (cacheSize !== undefined && !(Number.isInteger(cacheSize) && cacheSize >= 0)) throw new Error(`--cache-size: expected an integer >= 0, got "${size}"`);
    const service = await startDemoService({
      host: values.host ?? env.DEMO_HOST,
      port: parsePort(values.port ?? env.DEMO_PORT, '--port', 8080),
      store,
      profiles: values.profiles ?? env.DEMO_PROFILES,
      dependencyTimeoutMs,
      cacheSize,
      onCircuitChange: (change) => process.stdout.write(`${JSON.stringify(change)}\n`),
    });
    process.stdout.write(`demo-service listening on ${service.url}\n`);
    return service;
  });
}

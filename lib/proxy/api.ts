import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { asApiError } from './errors.ts';
import { decodePopulate, decodeProxyFields, decodeToxicFields, decodeToxicUpdate, parseBody } from './input.ts';
import type { ProxyCollection } from './proxy-collection.ts';

// The HTTP API, and only that: routes, bodies, status codes and content types as Toxiproxy
// 2.4.0 answers them. Every decision about proxies and toxics is the collection's.

/** The Toxiproxy version whose API this server speaks (`GET /version`). */
export const TOXIPROXY_VERSION = '2.4.0';

/** A handler's answer: a status and a body to send as JSON (or nothing, for 204). */
interface Answer {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
}

type Params = Record<string, string>;
type Handler = (proxies: ProxyCollection, params: Params, body: () => unknown) => Promise<Answer>;

const ok = (json: unknown, status = 200): Answer => ({ status, json });
const noContent: Answer = { status: 204 };

/** Method, path pattern (`:name` segments are parameters), handler. POST and PATCH both update. */
const ROUTES: Array<[string, string, Handler]> = [
  ['GET', '/version', async () => ({ status: 200, text: TOXIPROXY_VERSION, contentType: 'text/plain;charset=utf-8' })],
  ['POST', '/reset', async (p) => { await p.reset(); return noContent; }],
  ['GET', '/proxies', async (p) => ok(Object.fromEntries(p.list().map((proxy) => [proxy.name, proxy])))],
  ['POST', '/proxies', async (p, _, body) => ok(await p.create(decodeProxyFields(body())), 201)],
  ['POST', '/populate', populate],
  ['GET', '/proxies/:proxy', async (p, { proxy }) => ok(p.get(proxy ?? ''))],
  ['POST', '/proxies/:proxy', updateProxy],
  ['PATCH', '/proxies/:proxy', updateProxy],
  ['DELETE', '/proxies/:proxy', async (p, { proxy }) => { await p.remove(proxy ?? ''); return noContent; }],
  ['GET', '/proxies/:proxy/toxics', async (p, { proxy }) => ok(p.get(proxy ?? '').toxics.list())],
  ['POST', '/proxies/:proxy/toxics', async (p, { proxy }, body) => ok(p.get(proxy ?? '').toxics.add(decodeToxicFields(body())))],
  ['GET', '/proxies/:proxy/toxics/:toxic', async (p, { proxy, toxic }) => ok(p.get(proxy ?? '').toxics.get(toxic ?? ''))],
  ['POST', '/proxies/:proxy/toxics/:toxic', updateToxic],
  ['PATCH', '/proxies/:proxy/toxics/:toxic', updateToxic],
  ['DELETE', '/proxies/:proxy/toxics/:toxic', async (p, { proxy, toxic }) => { p.get(proxy ?? '').toxics.remove(toxic ?? ''); return noContent; }],
];

async function updateProxy(proxies: ProxyCollection, { proxy }: Params, body: () => unknown): Promise<Answer> {
  const found = proxies.get(proxy ?? '');
  await found.update(decodeProxyFields(body()));
  return ok(found);
}

async function updateToxic(proxies: ProxyCollection, { proxy, toxic }: Params, body: () => unknown): Promise<Answer> {
  const { toxics } = proxies.get(proxy ?? '');
  const found = toxics.get(toxic ?? ''); // a missing toxic is answered before the body is read, as Toxiproxy does
  return ok(toxics.update(found.name, decodeToxicUpdate(body(), found.kind)));
}

/**
 * Populate answers its own way: `{"proxies": [...]}`, with the error's fields beside them on
 * failure. No proxies is `null`, not `[]` (Go's empty slice).
 */
async function populate(proxies: ProxyCollection, _: Params, body: () => unknown): Promise<Answer> {
  let result;
  try {
    result = await proxies.populate(decodePopulate(body()));
  } catch (error) {
    const e = asApiError(error);
    return ok({ error: e.message, status: e.status, proxies: null }, e.status);
  }
  const list = result.proxies.length ? result.proxies : null;
  if (!result.error) return ok({ proxies: list }, 201);
  return ok({ error: result.error.message, status: result.error.status, proxies: list }, result.error.status);
}

/**
 * The API's HTTP server. Requests run one at a time once their body has arrived (a slow
 * sender holds up no one), as Toxiproxy's collection lock orders them.
 */
export function createApiServer(proxies: ProxyCollection): Server {
  let queue: Promise<void> = Promise.resolve();
  return createServer((req, res) => {
    void readBody(req).then((text) => {
      queue = queue.then(() => serve(proxies, req, res, text)).catch(() => undefined);
    });
  });
}

async function serve(proxies: ProxyCollection, req: IncomingMessage, res: ServerResponse, text: string): Promise<void> {
  const path = decodePath(req.url ?? '/');
  if (path === undefined) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end('400 Bad Request'); // Go's server, for a URL it cannot parse
    return;
  }
  if (req.headers['user-agent']?.startsWith('Mozilla/')) return sendText(res, 403, 'User agent not allowed\n');
  const match = route(req.method ?? 'GET', path);
  if (match === 'not found') return sendText(res, 404, '404 page not found\n');
  if (match === 'method not allowed') return send(res, { status: 405 });
  try {
    send(res, await match.handler(proxies, match.params, () => parseBody(text)));
  } catch (error) {
    const e = asApiError(error);
    // Go's http.Error: the JSON error as text/plain, with a newline.
    sendText(res, e.status, `${JSON.stringify(e)}\n`);
  }
}

function route(method: string, path: string): { handler: Handler; params: Params } | 'not found' | 'method not allowed' {
  const segments = path.split('/');
  let pathMatched = false;
  for (const [routeMethod, pattern, handler] of ROUTES) {
    const params = matchPath(pattern.split('/'), segments);
    if (!params) continue;
    if (routeMethod === method) return { handler, params };
    pathMatched = true;
  }
  return pathMatched ? 'method not allowed' : 'not found';
}

/** The request's path, decoded as a whole before routing as Go does (`%2F` is a `/`); undefined if malformed. */
function decodePath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
}

function matchPath(pattern: string[], segments: string[]): Params | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] ?? '';
    const got = segments[i] ?? '';
    if (want.startsWith(':')) {
      if (got === '') return undefined;
      params[want.slice(1)] = got;
    } else if (want !== got) return undefined;
  }
  return params;
}

const MAX_BODY_BYTES = 1 << 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function send(res: ServerResponse, answer: Answer): void {
  if (answer.text !== undefined) {
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain; charset=utf-8' });
    res.end(answer.text);
    return;
  }
  if (answer.json === undefined) {
    res.writeHead(answer.status);
    res.end();
    return;
  }
  res.writeHead(answer.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(answer.json));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(text);
}


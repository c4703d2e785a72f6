import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { freeListenPort } from '../../lib/host/index.ts';
import { startProxyServer } from '../../lib/proxy/index.ts';
import { needs, REAL, startRealToxiproxy } from '../helpers/real-tools.ts';
import { connectClient, portOf, sleep, startTcpServer, within, type TestClient, type TestTcpServer } from '../proxy/helpers.ts';

// The built-in proxy against a real toxiproxy-server 2.4.0: the same API calls, data-path
// probes and toxiproxy-cli commands go to both, and their answers must match field by field
// (status, content type, body; ports normalised). A difference passes only when DEVIATIONS
// ties it to an item of README's "Where it deliberately differs:" list, and every item of
// that list must be observed here, so the list and the code cannot drift apart.

/** Each deliberate difference: the README item that describes it, and words that item must contain. */
const DEVIATIONS: Record<string, { item: number; phrase: string }> = {
  'toxic with a negative attribute': { item: 1, phrase: 'Negative attributes' },
  'toxic with toxicity 2': { item: 1, phrase: 'toxicity outside 0-1' },
  'toxic update to a negative attribute': { item: 1, phrase: 'Negative attributes' },
  'cli: toxic add with a negative attribute': { item: 1, phrase: 'Negative attributes' },
  'proxy with no listen address': { item: 2, phrase: 'binds 127.0.0.1' },
  'create: nulls': { item: 2, phrase: 'binds 127.0.0.1' },
  'probe: timeout 0, then removed': { item: 3, phrase: 'drops that data and closes the connection' },
  'probe: reset_peer added to an open connection': { item: 4, phrase: 'closes the others with a FIN' },
  'probe: client half-closes, upstream answers after': { item: 5, phrase: 'closes the whole connection at the first FIN' },
  'populate: pop-a unchanged (has a toxic)': { item: 6, phrase: '"enabled": false, "toxics": []' },
  'populate: pop-a as localhost (the address it is bound to)': { item: 6, phrase: 'once resolved' },
  'pop-a after the localhost populate': { item: 6, phrase: 'compares the listen text' },
  'create: truncated JSON': { item: 7, phrase: "Node's JSON parser" },
  'create: not JSON': { item: 7, phrase: "Node's JSON parser" },
  'toxic: attribute 1.0': { item: 7, phrase: '`1.0`' },
  'toxic create: trailing text after the JSON': { item: 7, phrase: 'after the JSON' },
  'probe: latency lowered while a chunk waits': { item: 8, phrase: 'keep their send times' },
  'PATCH /proxies/api': { item: 9, phrase: '`PATCH`' },
  'PATCH a toxic': { item: 9, phrase: '`PATCH`' },
  'GET //proxies (a path not clean)': { item: 10, phrase: 'redirects it (301)' },
  'POST //proxies (a path not clean)': { item: 10, phrase: 'a `POST` as a `GET`' },
};

/** README's numbered list under "Where it deliberately differs:" (in "## Faults"): number -> text. */
function readmeDeviations(): Map<number, string> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const faults = readme.split(/^## /m).find((section) => section.startsWith('Faults\n')) ?? '';
  const lines = (faults.split('Where it deliberately differs:\n')[1] ?? '').split('\n');
  const items = new Map<number, string>();
  let current = 0;
  for (const line of lines) {
    const start = /^(\d+)\. (.+)$/.exec(line);
    if (start) items.set((current = Number(start[1])), start[2] ?? '');
    else if (current && /^ +\S/.test(line)) items.set(current, `${items.get(current)} ${line.trim()}`);
    else break;
  }
  return items;
}

/** One server under test, with listen ports of its own (the two never share one). */
interface Side {
  name: 'real' | 'built-in';
  url: string;
  port: { a: number; b: number; c: number };
  /** Names every port in `host:port` text: this side's own as `<a>`, `<b>`, `<c>`, `<api>`; any other `<port>`. */
  normalise(text: string): string;
  close(): Promise<void>;
}

const sides: Side[] = [];
let echo: TestTcpServer;
const upstream = () => `127.0.0.1:${echo.port}`;
/** Labels of every call made, and of every one whose answers differed. */
const ran = new Set<string>();
const differed = new Set<string>();

async function makeSide(name: Side['name'], url: string, close: () => Promise<void>): Promise<Side> {
  const port = { a: await freeListenPort(), b: await freeListenPort(), c: await freeListenPort() };
  const names = new Map<number, string>([[port.a, '<a>'], [port.b, '<b>'], [port.c, '<c>'], [echo.port, '<echo>'], [portOf(url), '<api>']]);
  // Ports 1024 and up (small ones are written in the calls); any other is one a listen on :0 bound.
  const normalise = (text: string) => text.replace(/(?<=[\w\]]):(\d{4,5})(?!\d)/g, (whole, digits: string) => {
    const n = Number(digits);
    return n > 65535 ? whole : `:${names.get(n) ?? '<port>'}`;
  });
  return { name, url, port, normalise, close };
}

before(async () => {
  if (needs('toxiproxy-server')) return;
  echo = await startTcpServer();
  const real = await startRealToxiproxy();
  const builtIn = await startProxyServer({ port: 0 });
  sides.push(await makeSide('real', real.url, () => real.close()), await makeSide('built-in', builtIn.url, () => builtIn.close()));
});
after(async () => {
  await Promise.all(sides.map((s) => s.close()));
  await echo?.close();
});

async function raw(side: Side, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(side.url + path, { method, body: payload, headers, redirect: 'manual' });
  return { res, text: await res.text() };
}

/** An answer as compared: JSON bodies structurally (with whether a newline follows), others as text. */
async function answer(side: Side, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const { res, text } = await raw(side, method, path, body, headers);
  const normalised = side.normalise(text);
  let parsed: unknown;
  try {
    parsed = { json: JSON.parse(normalised) as unknown, newline: normalised.endsWith('\n') };
  } catch {
    parsed = path === '/version' && /^\d+\.\d+\.\d+/.test(text) ? '<version>' : normalised;
  }
  const header = (name: string) => res.headers.get(name);
  return { status: res.status, contentType: header('content-type'), nosniff: header('x-content-type-options'), location: header('location'), body: parsed };
}

/**
 * Runs `observe` on both sides at once and records whether the outcomes differ (JSON's key
 * order included). A difference in DEVIATIONS is reported through `note` (a test
 * diagnostic); any other is returned.
 */
async function compare(label: string, observe: (side: Side) => Promise<unknown>, note: (text: string) => void): Promise<string | undefined> {
  assert.ok(!ran.has(label), `label used twice: ${label}`);
  ran.add(label);
  const [real, builtIn] = await Promise.all(sides.map(observe));
  if (JSON.stringify(real) === JSON.stringify(builtIn)) return undefined;
  differed.add(label);
  const where = differences(real, builtIn);
  const described = `${label}:\n${(where.length ? where : [`  key order: real ${JSON.stringify(real)}, built-in ${JSON.stringify(builtIn)}`]).join('\n')}`;
  const listed = DEVIATIONS[label];
  if (!listed) return described;
  note(`README item ${listed.item}: ${described}`);
  return undefined;
}

/** Where two values differ: one line per path, real's value then the built-in's. */
function differences(real: unknown, builtIn: unknown, path = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(real) && isObject(builtIn) && Array.isArray(real) === Array.isArray(builtIn)) {
    const keys = [...new Set([...Object.keys(real), ...Object.keys(builtIn)])];
    return keys.flatMap((key) => differences(real[key], builtIn[key], `${path}.${key}`));
  }
  return isDeepStrictEqual(real, builtIn) ? [] : [`  ${path || '.'}: real ${JSON.stringify(real)}, built-in ${JSON.stringify(builtIn)}`];
}

type Body = unknown | ((side: Side) => unknown);
/** label, method, path, body (a string is sent as is), headers. */
type Call = [string, string, string, Body?, Record<string, string>?];

const proxy = (name: string) => () => ({ name, listen: '127.0.0.1:0', upstream: upstream() });
const onPort = (name: string, which: keyof Side['port'], host = '127.0.0.1') => (s: Side) => ({ name, listen: `${host}:${s.port[which]}`, upstream: upstream() });

const TOXIC_ATTRIBUTES: Record<string, object> = {
  latency: { latency: 100, jitter: 10 },
  bandwidth: { rate: 100 },
  slow_close: { delay: 50 },
  timeout: { timeout: 1000 },
  reset_peer: { timeout: 10 },
  slicer: { average_size: 64, size_variation: 8, delay: 10 },
  limit_data: { bytes: 1024 },
};

const API: Call[] = [
  ['GET /version', 'GET', '/version'],
  ['no proxies yet', 'GET', '/proxies'],
  ['create api', 'POST', '/proxies', proxy('api')],
  ['create off (disabled)', 'POST', '/proxies', { name: 'off', listen: '127.0.0.1:0', upstream: 'localhost:1', enabled: false }],
  ['create fixed on port a', 'POST', '/proxies', onPort('fixed', 'a')],
  ['create "a b" (a space in the name)', 'POST', '/proxies', proxy('a b')],
  ['create: duplicate name', 'POST', '/proxies', proxy('api')],
  ['create: listen address in use', 'POST', '/proxies', onPort('clash', 'a')],
  ['create: listen without a port', 'POST', '/proxies', { name: 'bad', listen: 'nonsense', upstream: 'localhost:1' }],
  ['create: listen port out of range', 'POST', '/proxies', { name: 'bad', listen: '127.0.0.1:99999', upstream: 'localhost:1' }],
  ['create: missing name', 'POST', '/proxies', { upstream: 'localhost:1' }],
  ['create: missing upstream', 'POST', '/proxies', { name: 'bad' }],
  ['create: empty body', 'POST', '/proxies', ''],
  ['create: truncated JSON', 'POST', '/proxies', '{"name": "bad"'],
  ['create: not JSON', 'POST', '/proxies', 'hello'],
  ['create: an array', 'POST', '/proxies', '[]'],
  ['create: null', 'POST', '/proxies', 'null'],
  ['create: name is a number', 'POST', '/proxies', { name: 5, upstream: 'localhost:1' }],
  ['create: enabled is a string', 'POST', '/proxies', { name: 'bad', upstream: 'localhost:1', enabled: 'yes' }],
  ['create: keys in capitals', 'POST', '/proxies', { Name: 'caps', Listen: '127.0.0.1:0', Upstream: 'localhost:1' }],
  ['delete caps', 'DELETE', '/proxies/caps'],
  ['create: nulls', 'POST', '/proxies', { name: 'nulls', listen: null, upstream: 'localhost:1', enabled: null }],
  ['delete nulls', 'DELETE', '/proxies/nulls'],
  ['proxy with no listen address', 'POST', '/proxies', { name: 'anywhere', upstream: 'localhost:1' }],
  ['delete anywhere', 'DELETE', '/proxies/anywhere'],
  ['get api', 'GET', '/proxies/api'],
  ['get "a b"', 'GET', '/proxies/a%20b'],
  ['get a missing proxy', 'GET', '/proxies/nope'],
  ['enable off', 'POST', '/proxies/off', { enabled: true }],
  ['disable off', 'POST', '/proxies/off', { enabled: false }],
  ['api: new upstream', 'POST', '/proxies/api', { upstream: 'localhost:2' }],
  ['api: upstream back', 'POST', '/proxies/api', () => ({ upstream: upstream() })],
  ['fixed: move to port b', 'POST', '/proxies/fixed', (s: Side) => ({ listen: `127.0.0.1:${s.port.b}` })],
  ['fixed: back to port a, disabled', 'POST', '/proxies/fixed', (s: Side) => ({ listen: `127.0.0.1:${s.port.a}`, enabled: false })],
  ['fixed: enabled', 'POST', '/proxies/fixed', { enabled: true }],
  ['api: move onto port a (in use)', 'POST', '/proxies/api', (s: Side) => ({ listen: `127.0.0.1:${s.port.a}` })],
  ['api after the failed move', 'GET', '/proxies/api'],
  ['api: listen back to :0', 'POST', '/proxies/api', { listen: '127.0.0.1:0', enabled: true }],
  ['api: update with an empty body', 'POST', '/proxies/api', ''],
  ['api: update with an empty object', 'POST', '/proxies/api', {}],
  ['api: update with enabled a number', 'POST', '/proxies/api', { enabled: 1 }],
  ['api: update with a new name (ignored)', 'POST', '/proxies/api', { name: 'renamed' }],
  ['api: update with keys in capitals', 'POST', '/proxies/api', { Enabled: true, UPSTREAM: 'localhost:4' }],
  ['api: update with an array', 'POST', '/proxies/api', '[]'],
  ['api: update with null', 'POST', '/proxies/api', 'null'],
  ['toxics of api, none yet', 'GET', '/proxies/api/toxics'],
  ['update a missing proxy', 'POST', '/proxies/nope', { enabled: true }],
  ['PATCH /proxies/api', 'PATCH', '/proxies/api', { enabled: true }],
  ['delete a missing proxy', 'DELETE', '/proxies/nope'],
  // Every toxic type, with its defaults and then with every attribute given, upstream.
  ...Object.entries(TOXIC_ATTRIBUTES).flatMap(([type, attributes]): Call[] => [
    [`toxic ${type}, defaults`, 'POST', '/proxies/api/toxics', { type }],
    [`toxic ${type}, every field`, 'POST', '/proxies/api/toxics', { name: `${type}-up`, type, stream: 'upstream', toxicity: 0.5, attributes }],
  ]),
  ['toxics of api', 'GET', '/proxies/api/toxics'],
  ['api with its toxics', 'GET', '/proxies/api'],
  ['every proxy', 'GET', '/proxies'],
  ['get a toxic', 'GET', '/proxies/api/toxics/latency-up'],
  ['get a missing toxic', 'GET', '/proxies/api/toxics/nope'],
  ['toxics of a missing proxy', 'GET', '/proxies/nope/toxics'],
  ['a toxic of a missing proxy', 'GET', '/proxies/nope/toxics/latency-up'],
  ['toxic: stream in capitals', 'POST', '/proxies/api/toxics', { type: 'latency', stream: 'UpStream', attributes: { latency: 1 } }],
  ['toxic: toxicity 0 and an unknown attribute', 'POST', '/proxies/api/toxics', { name: 'zero', type: 'latency', toxicity: 0, attributes: { latency: 1, bogus: 2 } }],
  ['toxic: null attributes and toxicity', 'POST', '/proxies/api/toxics', { name: 'nulls', type: 'slicer', toxicity: null, attributes: null }],
  ['toxic: duplicate name', 'POST', '/proxies/api/toxics', { type: 'latency' }],
  ['toxic: invalid type', 'POST', '/proxies/api/toxics', { type: 'bogus' }],
  ['toxic: no type', 'POST', '/proxies/api/toxics', { name: 'untyped' }],
  ['toxic: invalid stream', 'POST', '/proxies/api/toxics', { type: 'latency', stream: 'sideways' }],
  ['toxic: invalid stream and type', 'POST', '/proxies/api/toxics', { type: 'bogus', stream: 'sideways' }],
  ['toxic: attribute is a string', 'POST', '/proxies/api/toxics', { name: 'bad', type: 'latency', attributes: { latency: 'x' } }],
  ['toxic: reset_peer attribute is a string', 'POST', '/proxies/api/toxics', { name: 'bad', type: 'reset_peer', attributes: { timeout: 'x' } }],
  ['toxic: attribute is not an integer', 'POST', '/proxies/api/toxics', { name: 'bad', type: 'bandwidth', attributes: { rate: 1.5 } }],
  ['toxic: toxicity is a string', 'POST', '/proxies/api/toxics', { name: 'bad', type: 'latency', toxicity: 'x' }],
  ['toxic: name is a number', 'POST', '/proxies/api/toxics', { name: 1, type: 'latency' }],
  ['toxic: empty body', 'POST', '/proxies/api/toxics', ''],
  ['toxic: attributes is a string', 'POST', '/proxies/api/toxics', { name: 'bad', type: 'latency', attributes: 'x' }],
  ['toxic: attributes is an array', 'POST', '/proxies/api/toxics', { name: 'bad', type: 'latency', attributes: [1] }],
  ['toxic: toxicity 0.3', 'POST', '/proxies/api/toxics', { name: 'third', type: 'latency', toxicity: 0.3 }],
  ['toxic: keys in capitals', 'POST', '/proxies/api/toxics', { Name: 'caps', Type: 'latency', Attributes: { Latency: 3 } }],
  ['toxic: a large attribute', 'POST', '/proxies/api/toxics', { name: 'large', type: 'limit_data', attributes: { bytes: 2 ** 40 } }],
  ['toxic: body is an array', 'POST', '/proxies/api/toxics', '[]'],
  ['toxic: null', 'POST', '/proxies/api/toxics', 'null'],
  ['toxic on a missing proxy', 'POST', '/proxies/nope/toxics', { type: 'latency' }],
  ['toxic update: merge an attribute', 'POST', '/proxies/api/toxics/latency_downstream', { attributes: { jitter: 5 } }],
  ['toxic update: toxicity', 'POST', '/proxies/api/toxics/latency_downstream', { toxicity: 0.25 }],
  ['toxic update: name, type and stream are ignored', 'POST', '/proxies/api/toxics/latency_downstream', { name: 'renamed', type: 'bandwidth', stream: 'upstream', attributes: { latency: 7 } }],
  ['toxic update: empty object', 'POST', '/proxies/api/toxics/latency_downstream', {}],
  ['toxic update: empty body', 'POST', '/proxies/api/toxics/latency_downstream', ''],
  ['toxic update: attribute is a string', 'POST', '/proxies/api/toxics/slicer-up', { attributes: { delay: 'x' } }],
  ['toxic after the bad update', 'GET', '/proxies/api/toxics/slicer-up'],
  ['toxic update: attributes is a string', 'POST', '/proxies/api/toxics/slicer-up', { attributes: 'x' }],
  ['toxic update: toxicity is a string', 'POST', '/proxies/api/toxics/slicer-up', { toxicity: 'x' }],
  ['toxic update: name is a number (ignored)', 'POST', '/proxies/api/toxics/slicer-up', { name: 5, attributes: { delay: 11 } }],
  ['toxic update: keys in capitals', 'POST', '/proxies/api/toxics/slicer-up', { Toxicity: 0.75, Attributes: { Average_Size: 32 } }],
  ['toxic update: an array', 'POST', '/proxies/api/toxics/slicer-up', '[]'],
  ['toxic update: null', 'POST', '/proxies/api/toxics/slicer-up', 'null'],
  ['toxic update: a missing toxic', 'POST', '/proxies/api/toxics/nope', { toxicity: 1 }],
  ['toxic update: a missing toxic, bad body', 'POST', '/proxies/api/toxics/nope', 'hello'],
  ['toxic update: on a missing proxy', 'POST', '/proxies/nope/toxics/latency_downstream', { toxicity: 1 }],
  ['PATCH a toxic', 'PATCH', '/proxies/api/toxics/latency_downstream', { toxicity: 0.25 }],
  ['toxics after the updates', 'GET', '/proxies/api/toxics'],
  ['toxic delete', 'DELETE', '/proxies/api/toxics/latency-up'],
  ['toxic delete: again', 'DELETE', '/proxies/api/toxics/latency-up'],
  ['toxic delete: on a missing proxy', 'DELETE', '/proxies/nope/toxics/latency_downstream'],
  // Values Toxiproxy stores and the built-in proxy refuses, on a proxy of their own.
  ['create scratch', 'POST', '/proxies', proxy('scratch')],
  ['toxic with a negative attribute', 'POST', '/proxies/scratch/toxics', { type: 'latency', attributes: { latency: -5 } }],
  ['toxic with toxicity 2', 'POST', '/proxies/scratch/toxics', { name: 'twice', type: 'latency', toxicity: 2 }],
  ['toxic create: trailing text after the JSON', 'POST', '/proxies/scratch/toxics', '{"name": "trailing", "type": "latency"} x'],
  ['toxic: attribute 1.0', 'POST', '/proxies/scratch/toxics', '{"name": "one", "type": "latency", "attributes": {"latency": 1.0}}'],
  ['toxic for the update', 'POST', '/proxies/scratch/toxics', { name: 'ok', type: 'bandwidth' }],
  ['toxic update to a negative attribute', 'POST', '/proxies/scratch/toxics/ok', { attributes: { rate: -1 } }],
  ['delete scratch', 'DELETE', '/proxies/scratch'],
  // Populate.
  ['populate: nothing', 'POST', '/populate', []],
  ['populate: an object', 'POST', '/populate', {}],
  ['populate: empty body', 'POST', '/populate', ''],
  ['populate: missing upstream at 2', 'POST', '/populate', [{ name: 'x', upstream: 'localhost:1' }, { name: 'y' }]],
  ['populate: missing name at 1', 'POST', '/populate', [{ upstream: 'localhost:1' }]],
  ['populate: an item is a string', 'POST', '/populate', ['x']],
  ['populate: null', 'POST', '/populate', 'null'],
  ['populate: a null item', 'POST', '/populate', [null]],
  ['populate: name is a number', 'POST', '/populate', [{ name: 5, upstream: 'localhost:1' }]],
  ['populate: enabled is a string', 'POST', '/populate', [{ name: 'x', upstream: 'localhost:1', enabled: 'yes' }]],
  ['populate: keys in capitals, disabled', 'POST', '/populate', [{ NAME: 'pop-caps', LISTEN: '127.0.0.1:0', Upstream: 'localhost:1', Enabled: false }]],
  ['populate: pop-a on port c, pop-b disabled', 'POST', '/populate', (s: Side) => [onPort('pop-a', 'c')(s), { ...proxy('pop-b')(), enabled: false }]],
  ['toxic on pop-a', 'POST', '/proxies/pop-a/toxics', { type: 'latency', attributes: { latency: 5 } }],
  ['populate: pop-a unchanged (has a toxic)', 'POST', '/populate', (s: Side) => [onPort('pop-a', 'c')(s)]],
  ['pop-a after the unchanged populate', 'GET', '/proxies/pop-a'],
  ['populate: pop-a as localhost (the address it is bound to)', 'POST', '/populate', (s: Side) => [onPort('pop-a', 'c', 'localhost')(s)]],
  ['pop-a after the localhost populate', 'GET', '/proxies/pop-a'],
  ['populate: pop-a changed upstream', 'POST', '/populate', (s: Side) => [{ ...onPort('pop-a', 'c')(s), upstream: 'localhost:3' }]],
  ['pop-a after the changed populate', 'GET', '/proxies/pop-a'],
  ['populate: pop-b, disabled on :0, the same', 'POST', '/populate', () => [proxy('pop-b')()]],
  ['populate: pop-c, then pop-d on port a (in use)', 'POST', '/populate', (s: Side) => [proxy('pop-c')(), onPort('pop-d', 'a')(s)]],
  ['populate: pop-e on port a first (in use)', 'POST', '/populate', (s: Side) => [onPort('pop-e', 'a')(s), proxy('pop-f')()]],
  ['every proxy after populate', 'GET', '/proxies'],
  // Reset: every proxy started, every toxic removed; one that cannot start fails the reset.
  ['disable api', 'POST', '/proxies/api', { enabled: false }],
  ['POST /reset', 'POST', '/reset', 'ignored'],
  ['every proxy after reset', 'GET', '/proxies'],
  ['off: listen on port a while disabled', 'POST', '/proxies/off', (s: Side) => ({ listen: `127.0.0.1:${s.port.a}`, enabled: false })],
  ['POST /reset with a proxy that cannot start', 'POST', '/reset'],
  ['every proxy after the failed reset', 'GET', '/proxies'],
  // Routes that do not exist, or not with this method.
  ['GET /', 'GET', '/'],
  ['GET /nope', 'GET', '/nope'],
  ['GET /proxies/', 'GET', '/proxies/'],
  ['GET /proxies/api/toxics/x/y', 'GET', '/proxies/api/toxics/x/y'],
  ['PUT /proxies', 'PUT', '/proxies', {}],
  ['DELETE /proxies', 'DELETE', '/proxies'],
  ['GET /reset', 'GET', '/reset'],
  ['POST /version', 'POST', '/version'],
  ['GET /populate', 'GET', '/populate'],
  ['HEAD /version', 'HEAD', '/version'],
  ['OPTIONS /proxies', 'OPTIONS', '/proxies'],
  ['GET /proxies with a query string', 'GET', '/proxies/api?x=1'],
  ['GET a proxy with an encoded slash', 'GET', '/proxies/a%2Fb'],
  ['GET a malformed path', 'GET', '/proxies/%zz'],
  ['GET //proxies (a path not clean)', 'GET', '//proxies'],
  ['POST //proxies (a path not clean)', 'POST', '//proxies', proxy('unclean')],
  ['a browser', 'GET', '/proxies', undefined, { 'user-agent': 'Mozilla/5.0' }],
  ...['api', 'off', 'fixed', 'pop-caps', 'a%20b', 'pop-a', 'pop-b', 'pop-c', 'pop-f'].map((name): Call => [`delete ${name} at the end`, 'DELETE', `/proxies/${name}`]),
  ['no proxies left', 'GET', '/proxies'],
];

test('every call of the API answers as the real toxiproxy-server 2.4.0 does', { skip: needs('toxiproxy-server') }, async (t) => {
  const unexplained: string[] = [];
  for (const [label, method, path, body, headers] of API) {
    const found = await compare(label, (side) => answer(side, method, path, typeof body === 'function' ? body(side) : body, headers), (d) => t.diagnostic(d));
    if (found) unexplained.push(found);
  }
  assert.deepEqual(unexplained, [], 'differences that README does not list');
});

/** A proxy on a free port of this side to 127.0.0.1:`target`; its port. */
async function probeProxy(side: Side, name: string, target: number): Promise<number> {
  const created = await raw(side, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${target}` });
  assert.equal(created.res.status, 201, created.text);
  return portOf((JSON.parse(created.text) as { listen: string }).listen);
}

/** Adds, updates (`toxicName`) or removes (`body` null) a toxic of proxy `name` on this side. */
async function toxic(side: Side, name: string, body: object | null, toxicName = ''): Promise<void> {
  const path = `/proxies/${name}/toxics${toxicName ? `/${toxicName}` : ''}`;
  const done = await raw(side, body ? 'POST' : 'DELETE', path, body ?? undefined);
  assert.equal(done.res.status, body ? 200 : 204, done.text);
}

/** What the client received, and how its connection ended within `ms` (`open` if it did not). */
async function ending(client: TestClient, ms = 500): Promise<string> {
  const how = await within(client.closed, ms, 'open');
  client.socket.destroy();
  return `received "${client.received().toString()}", ${how}`;
}

/** Data-path probes: each a label, the upstream it needs ('echo' or 'replier'), and what it observes. */
type Probe = [string, 'echo' | 'replier', (side: Side, port: number, name: string) => Promise<string>];
const PROBES: Probe[] = [
  ['probe: no toxic', 'echo', async (_, port) => {
    const client = await connectClient(port);
    client.socket.write('hello');
    await client.waitFor(5);
    return ending(client, 50);
  }],
  ['probe: limit_data of 3 bytes', 'echo', async (side, port, name) => {
    await toxic(side, name, { type: 'limit_data', attributes: { bytes: 3 } });
    const client = await connectClient(port);
    client.socket.write('hello');
    return ending(client);
  }],
  ['probe: timeout of 100 ms', 'echo', async (side, port, name) => {
    await toxic(side, name, { type: 'timeout', attributes: { timeout: 100 } });
    const client = await connectClient(port);
    client.socket.write('hello');
    return ending(client);
  }],
  ['probe: reset_peer on a new connection', 'echo', async (side, port, name) => {
    await toxic(side, name, { type: 'reset_peer', attributes: { timeout: 0 } });
    const client = await connectClient(port);
    client.socket.write('hello');
    return ending(client);
  }],
  ['probe: reset_peer added to an open connection', 'echo', async (side, port, name) => {
    const client = await connectClient(port);
    client.socket.write('a');
    await client.waitFor(1);
    await toxic(side, name, { type: 'reset_peer', attributes: { timeout: 0 } });
    client.socket.write('b');
    return ending(client);
  }],
  ['probe: timeout 0, then removed', 'echo', async (side, port, name) => {
    await toxic(side, name, { type: 'timeout', attributes: { timeout: 0 } });
    const client = await connectClient(port);
    client.socket.write('held');
    await sleep(100);
    const before = `before removal: received "${client.received().toString()}", ${client.socket.destroyed ? 'closed' : 'open'}`;
    await toxic(side, name, null, 'timeout_downstream');
    return `${before}; after: ${await ending(client, 300)}`;
  }],
  ['probe: client half-closes, upstream answers after', 'replier', async (_, port) => {
    const client = await connectClient(port);
    client.socket.end('hi');
    return ending(client, 1000);
  }],
  ['probe: latency lowered while a chunk waits', 'echo', async (side, port, name) => {
    await toxic(side, name, { type: 'latency', attributes: { latency: 600 } });
    const client = await connectClient(port);
    const sentMs = performance.now();
    client.socket.write('x');
    await sleep(50);
    await toxic(side, name, { attributes: { latency: 0 } }, 'latency_downstream');
    await client.waitFor(1, 2000);
    client.socket.destroy();
    return performance.now() - sentMs < 400 ? 'arrived once the latency was lowered' : 'arrived at the latency it came in under';
  }],
];

test('data through a proxy is treated as the real toxiproxy-server treats it', { skip: needs('toxiproxy-server') }, async (t) => {
  // Answers "bye" once the client's FIN has arrived (its side stays open for that).
  const replier = await startTcpServer((s) => {
    s.allowHalfOpen = true;
    s.resume();
    s.on('end', () => setTimeout(() => s.end('bye'), 20));
  });
  const unexplained: string[] = [];
  try {
    for (const [label, target, observe] of PROBES) {
      const name = label.replace(/\W+/g, '-');
      const found = await compare(label, async (side) => {
        const port = await probeProxy(side, name, target === 'echo' ? echo.port : replier.port);
        try {
          return await observe(side, port, name);
        } finally {
          await raw(side, 'DELETE', `/proxies/${name}`);
        }
      }, (d) => t.diagnostic(d));
      if (found) unexplained.push(found);
    }
  } finally {
    await replier.close();
  }
  assert.deepEqual(unexplained, [], 'differences that README does not list');
});

/** toxiproxy-cli against one side: exit code and output, ports named. */
function cli(side: Side, args: string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(REAL.toxiproxyCli ?? 'toxiproxy-cli', ['-h', side.url, ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? String(error.signal)) : 0, stdout: side.normalise(stdout), stderr: side.normalise(stderr) });
    });
  });
}

type CliCall = [string, string[] | ((side: Side) => string[])];
const CLI: CliCall[] = [
  ['cli: list with no proxies', ['list']],
  ['cli: create', () => ['create', '-l', '127.0.0.1:0', '-u', upstream(), 'cli']],
  ['cli: create on port a', (s) => ['create', '-l', `127.0.0.1:${s.port.a}`, '-u', upstream(), 'cli-a']],
  ['cli: create a duplicate', () => ['create', '-l', '127.0.0.1:0', '-u', upstream(), 'cli']],
  ['cli: create on port a again (in use)', (s) => ['create', '-l', `127.0.0.1:${s.port.a}`, '-u', upstream(), 'cli-b']],
  ['cli: create without a listen address', ['create', '-u', 'localhost:1', 'cli-c']],
  ['cli: list', ['list']],
  ['cli: inspect without toxics', ['inspect', 'cli']],
  ['cli: toxic add latency', ['toxic', 'add', '-t', 'latency', '-a', 'latency=100', 'cli']],
  ...Object.entries(TOXIC_ATTRIBUTES).map(([type, attributes]): CliCall => [
    `cli: toxic add ${type}, every option`,
    ['toxic', 'add', '-t', type, '-n', `${type}-up`, '--upstream', '--toxicity', '0.5', ...Object.entries(attributes).flatMap(([k, v]) => ['-a', `${k}=${v}`]), 'cli'],
  ]),
  ['cli: toxic add a duplicate', ['toxic', 'add', '-t', 'latency', 'cli']],
  ['cli: toxic add an invalid type', ['toxic', 'add', '-t', 'bogus', 'cli']],
  ['cli: toxic add to a missing proxy', ['toxic', 'add', '-t', 'latency', 'nope']],
  ['cli: inspect with toxics', ['inspect', 'cli']],
  ['cli: list with toxics', ['list']],
  ['cli: toxic update an attribute', ['toxic', 'update', '-n', 'latency_downstream', '-a', 'jitter=5', 'cli']],
  ['cli: toxic update the toxicity', ['toxic', 'update', '-n', 'latency-up', '--toxicity', '0.25', 'cli']],
  ['cli: toxic update a missing toxic', ['toxic', 'update', '-n', 'nope', '-a', 'latency=1', 'cli']],
  ['cli: inspect after the updates', ['inspect', 'cli']],
  ['cli: toggle off', ['toggle', 'cli']],
  ['cli: list after toggle', ['list']],
  ['cli: toggle on', ['toggle', 'cli']],
  ['cli: toggle a missing proxy', ['toggle', 'nope']],
  ['cli: toxic remove', ['toxic', 'remove', '-n', 'latency_downstream', 'cli']],
  ['cli: toxic remove a missing toxic', ['toxic', 'remove', '-n', 'latency_downstream', 'cli']],
  ['cli: toxic remove on a missing proxy', ['toxic', 'remove', '-n', 'latency_downstream', 'nope']],
  ['cli: inspect a missing proxy', ['inspect', 'nope']],
  ['cli: toxic add with a negative attribute', ['toxic', 'add', '-t', 'latency', '-a', 'latency=-5', 'cli-a']],
  ['cli: delete cli-a', ['delete', 'cli-a']],
  ['cli: delete', ['delete', 'cli']],
  ['cli: delete a missing proxy', ['delete', 'cli']],
  ['cli: list at the end', ['list']],
];

test('toxiproxy-cli 2.4.0 prints and exits alike against both', { skip: needs('toxiproxy-server', 'toxiproxy-cli') }, async (t) => {
  const unexplained: string[] = [];
  for (const [label, args] of CLI) {
    const found = await compare(label, (side) => cli(side, typeof args === 'function' ? args(side) : args), (d) => t.diagnostic(d));
    if (found) unexplained.push(found);
  }
  assert.deepEqual(unexplained, [], 'differences that README does not list');
});

test('every deliberate difference names a README item that describes it, and every item is named', () => {
  const items = readmeDeviations();
  assert.deepEqual([...items.keys()], [...items.keys()].map((_, i) => i + 1), 'README items are numbered 1, 2, 3...');
  const problems: string[] = [];
  for (const [label, { item, phrase }] of Object.entries(DEVIATIONS)) {
    if (!items.get(item)?.includes(phrase)) problems.push(`${label}: README item ${item} does not say "${phrase}"`);
  }
  for (const item of items.keys()) {
    if (!Object.values(DEVIATIONS).some((d) => d.item === item)) problems.push(`README item ${item} is tied to no call or probe`);
  }
  assert.deepEqual(problems, []);
});

test('every deliberate difference is still observed', { skip: needs('toxiproxy-server', 'toxiproxy-cli') }, () => {
  const unseen = Object.keys(DEVIATIONS).filter((label) => !differed.has(label)).map((label) => `${label}: ${ran.has(label) ? 'answered alike' : 'never run'}`);
  assert.deepEqual(unseen, []);
});

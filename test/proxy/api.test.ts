import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freeListenPort } from '../helpers/net.ts';
import { startApi, startTcpServer, portOf, type TestApi, type TestTcpServer } from './helpers.ts';

// Every route with raw HTTP, answered as the recorded Toxiproxy 2.4.0 answers
// (/work/shared/toxiproxy/README.md): status codes, bodies, content types.

let api: TestApi;
let echo: TestTcpServer;
before(async () => { api = await startApi(); echo = await startTcpServer(); });
after(async () => { await api.close(); await echo.close(); });

const errorBody = (error: string, status: number) => `${JSON.stringify({ error, status })}\n`;

test('GET /version answers the version as text/plain', async () => {
  const answer = await api.call('GET', '/version');
  assert.equal(answer.status, 200);
  assert.equal(answer.text, '2.4.0');
  assert.match(answer.contentType ?? '', /^text\/plain/);
});

test('POST /proxies creates (201), binds a free port for :0 and keeps the upstream as given', async () => {
  const answer = await api.call('POST', '/proxies', { name: 'create', listen: '127.0.0.1:0', upstream: 'localhost:34463' });
  assert.equal(answer.status, 201);
  assert.equal(answer.contentType, 'application/json');
  assert.deepEqual(Object.keys(answer.json), ['name', 'listen', 'upstream', 'enabled', 'toxics']);
  assert.equal(answer.json.name, 'create');
  assert.match(answer.json.listen, /^127\.0\.0\.1:\d+$/);
  assert.notEqual(portOf(answer.json.listen), 0);
  assert.equal(answer.json.upstream, 'localhost:34463');
  assert.equal(answer.json.enabled, true);
  assert.deepEqual(answer.json.toxics, []);
  const again = await api.call('POST', '/proxies', { name: 'create', listen: '127.0.0.1:0', upstream: 'localhost:1' });
  assert.equal(again.status, 409);
  assert.equal(again.text, errorBody('proxy already exists', 409));
  assert.match(again.contentType ?? '', /^text\/plain/);
  assert.equal((await api.call('DELETE', '/proxies/create')).status, 204);
});

test('POST /proxies with enabled false does not listen; localhost:0 binds 127.0.0.1', async () => {
  const off = await api.call('POST', '/proxies', { name: 'off', listen: '127.0.0.1:0', upstream: 'x:1', enabled: false });
  assert.equal(off.status, 201);
  assert.equal(off.json.enabled, false);
  assert.equal(off.json.listen, '127.0.0.1:0');
  const local = await api.call('POST', '/proxies', { name: 'local', listen: 'localhost:0', upstream: 'x:1' });
  assert.match(local.json.listen, /^127\.0\.0\.1:[1-9]\d*$/);
  // No listen address: a free port (on loopback; Toxiproxy would bind every interface).
  const unnamed = await api.call('POST', '/proxies', { name: 'unnamed', upstream: 'x:1' });
  assert.match(unnamed.json.listen, /^127\.0\.0\.1:[1-9]\d*$/);
  await api.call('DELETE', '/proxies/off');
  await api.call('DELETE', '/proxies/local');
  await api.call('DELETE', '/proxies/unnamed');
});

test('GET /proxies is an object keyed by name; GET /proxies/{name} is the proxy with its toxics', async () => {
  await api.call('POST', '/proxies', { name: 'b-one', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
  await api.call('POST', '/proxies', { name: 'a-two', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
  await api.call('POST', '/proxies/b-one/toxics', { type: 'latency', attributes: { latency: 5 } });
  const all = await api.call('GET', '/proxies');
  assert.equal(all.status, 200);
  assert.deepEqual(Object.keys(all.json), ['a-two', 'b-one']);
  assert.equal(all.json['b-one'].toxics.length, 1);
  const one = await api.call('GET', '/proxies/b-one');
  assert.equal(one.status, 200);
  assert.deepEqual(one.json, all.json['b-one']);
  assert.equal(one.json.toxics[0].name, 'latency_downstream');
  const missing = await api.call('GET', '/proxies/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.text, errorBody('proxy not found', 404));
  await api.call('DELETE', '/proxies/b-one');
  await api.call('DELETE', '/proxies/a-two');
});

test('POST /proxies/{name} updates any subset of enabled, listen, upstream (PATCH too)', async () => {
  const created = await api.call('POST', '/proxies', { name: 'upd', listen: '127.0.0.1:0', upstream: 'localhost:1' });
  const disabled = await api.call('POST', '/proxies/upd', { enabled: false });
  assert.equal(disabled.status, 200);
  assert.equal(disabled.json.enabled, false);
  assert.equal(disabled.json.listen, created.json.listen);
  const port = await freeListenPort();
  const moved = await api.call('PATCH', '/proxies/upd', { enabled: true, listen: `127.0.0.1:${port}`, upstream: 'somehost:12345' });
  assert.equal(moved.status, 200);
  assert.deepEqual(moved.json, { name: 'upd', listen: `127.0.0.1:${port}`, upstream: 'somehost:12345', enabled: true, toxics: [] });
  assert.equal((await api.call('POST', '/proxies/nope', { enabled: false })).status, 404);
  assert.equal((await api.call('DELETE', '/proxies/upd')).status, 204);
  assert.equal((await api.call('DELETE', '/proxies/upd')).status, 404);
});

test('toxic routes: create answers 200 with defaults, list upstream first, update merges, delete 204', async () => {
  await api.call('POST', '/proxies', { name: 'tox', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
  const created = await api.call('POST', '/proxies/tox/toxics', { type: 'latency', attributes: { latency: 100 } });
  assert.equal(created.status, 200);
  assert.equal(created.contentType, 'application/json');
  assert.equal(created.text, '{"attributes":{"latency":100,"jitter":0},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}');
  const up = await api.call('POST', '/proxies/tox/toxics', { type: 'bandwidth', stream: 'upstream', name: 'slow', toxicity: 0.5, attributes: { rate: 10 } });
  assert.deepEqual(up.json, { attributes: { rate: 10 }, name: 'slow', type: 'bandwidth', stream: 'upstream', toxicity: 0.5 });
  const list = await api.call('GET', '/proxies/tox/toxics');
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.map((t: { name: string }) => t.name), ['slow', 'latency_downstream']);
  const one = await api.call('GET', '/proxies/tox/toxics/slow');
  assert.deepEqual(one.json, up.json);
  const updated = await api.call('POST', '/proxies/tox/toxics/latency_downstream', { attributes: { jitter: 5 } });
  assert.equal(updated.status, 200);
  assert.deepEqual(updated.json.attributes, { latency: 100, jitter: 5 });
  const patched = await api.call('PATCH', '/proxies/tox/toxics/slow', { toxicity: 1 });
  assert.equal(patched.json.toxicity, 1);
  assert.deepEqual(patched.json.attributes, { rate: 10 });
  assert.equal((await api.call('DELETE', '/proxies/tox/toxics/slow')).status, 204);
  const gone = await api.call('GET', '/proxies/tox/toxics/slow');
  assert.equal(gone.status, 404);
  assert.equal(gone.text, errorBody('toxic not found', 404));
  assert.equal((await api.call('DELETE', '/proxies/tox/toxics/slow')).status, 404);
  assert.equal((await api.call('POST', '/proxies/tox/toxics/slow', { attributes: {} })).status, 404);
  await api.call('DELETE', '/proxies/tox');
});

test('every toxic type is accepted with its attributes; missing attributes come back as 0', async () => {
  await api.call('POST', '/proxies', { name: 'types', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
  const expected: Record<string, Record<string, number>> = {
    latency: { latency: 0, jitter: 0 },
    bandwidth: { rate: 0 },
    slow_close: { delay: 0 },
    timeout: { timeout: 0 },
    reset_peer: { timeout: 0 },
    slicer: { average_size: 0, size_variation: 0, delay: 0 },
    limit_data: { bytes: 0 },
  };
  for (const [type, attributes] of Object.entries(expected)) {
    const answer = await api.call('POST', '/proxies/types/toxics', { type, stream: 'upstream' });
    assert.equal(answer.status, 200, type);
    assert.equal(answer.json.name, `${type}_upstream`);
    assert.deepEqual(answer.json.attributes, attributes);
  }
  assert.equal((await api.call('GET', '/proxies/types/toxics')).json.length, 7);
  await api.call('DELETE', '/proxies/types');
});

test('POST /populate creates or replaces and answers 201 {"proxies": [...]}; same address is kept', async () => {
  const port = await freeListenPort();
  const first = await api.call('POST', '/populate', [
    { name: 'pop-a', listen: `127.0.0.1:${port}`, upstream: `127.0.0.1:${echo.port}` },
    { name: 'pop-b', listen: '127.0.0.1:0', upstream: 'localhost:6379', enabled: false },
  ]);
  assert.equal(first.status, 201);
  assert.equal(first.contentType, 'application/json');
  assert.deepEqual(Object.keys(first.json), ['proxies']);
  assert.deepEqual(first.json.proxies.map((p: { name: string; enabled: boolean }) => [p.name, p.enabled]), [['pop-a', true], ['pop-b', false]]);
  await api.call('POST', '/proxies/pop-a/toxics', { type: 'latency', attributes: { latency: 1 } });
  // Same listen and upstream: kept, toxics and all.
  const same = await api.call('POST', '/populate', [{ name: 'pop-a', listen: `127.0.0.1:${port}`, upstream: `127.0.0.1:${echo.port}` }]);
  assert.equal(same.status, 201);
  assert.equal(same.json.proxies[0].toxics.length, 1);
  // A different upstream: replaced by a fresh proxy.
  const replaced = await api.call('POST', '/populate', [{ name: 'pop-a', listen: `127.0.0.1:${port}`, upstream: 'localhost:1' }]);
  assert.equal(replaced.status, 201);
  assert.deepEqual(replaced.json.proxies[0], { name: 'pop-a', listen: `127.0.0.1:${port}`, upstream: 'localhost:1', enabled: true, toxics: [] });
  const invalid = await api.call('POST', '/populate', [{ name: 'pop-c', listen: '127.0.0.1:0' }]);
  assert.equal(invalid.status, 400);
  assert.deepEqual(invalid.json, { error: 'missing required field: upstream at proxy 1', status: 400, proxies: null });
  assert.equal((await api.call('GET', '/proxies/pop-c')).status, 404);
  await api.call('DELETE', '/proxies/pop-a');
  await api.call('DELETE', '/proxies/pop-b');
});

test('POST /reset (empty body) enables every proxy and removes every toxic: 204', async () => {
  await api.call('POST', '/proxies', { name: 'rst', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
  await api.call('POST', '/proxies/rst/toxics', { type: 'timeout', attributes: { timeout: 0 } });
  await api.call('POST', '/proxies/rst/toxics', { type: 'latency', stream: 'upstream' });
  await api.call('POST', '/proxies/rst', { enabled: false });
  const reset = await api.call('POST', '/reset');
  assert.equal(reset.status, 204);
  assert.equal(reset.text, '');
  const after = await api.call('GET', '/proxies/rst');
  assert.equal(after.json.enabled, true);
  assert.deepEqual(after.json.toxics, []);
  await api.call('DELETE', '/proxies/rst');
});

test('an unknown route is 404 "404 page not found"; a known path with another method is 405', async () => {
  for (const path of ['/nope', '/proxies/a/b', '/proxies/a/toxics/b/c', '/']) {
    const answer = await api.call('GET', path);
    assert.equal(answer.status, 404, path);
    assert.equal(answer.text, '404 page not found\n');
    assert.match(answer.contentType ?? '', /^text\/plain/);
  }
  assert.equal((await api.call('PUT', '/proxies')).status, 405);
  assert.equal((await api.call('DELETE', '/version')).status, 405);
});

test('names are URL-decoded from the path', async () => {
  await api.call('POST', '/proxies', { name: 'with space', listen: '127.0.0.1:0', upstream: 'x:1' });
  assert.equal((await api.call('GET', '/proxies/with%20space')).status, 200);
  assert.equal((await api.call('DELETE', '/proxies/with%20space')).status, 204);
});

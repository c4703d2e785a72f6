import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { startProxyServer } from '../../lib/proxy/index.ts';
import { addProxy, connectClient, startApi, startTcpServer, within, type TestApi, type TestTcpServer } from './helpers.ts';

// Disabling, enabling, deleting and closing with connections open: every socket the proxy
// owns is closed, and the listen port is freed and taken again.

let api: TestApi;
let echo: TestTcpServer;
before(async () => { api = await startApi(); echo = await startTcpServer(); });
after(async () => { await api.close(); await echo.close(); });

/** Resolves with the error code of a connection attempt, or `connected`. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve('connected'); });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

async function echoes(port: number): Promise<boolean> {
  const client = await connectClient(port);
  client.socket.write('hi');
  const ok = await client.waitFor(2, 2000).then(() => true, () => false);
  client.socket.destroy();
  return ok;
}

test('enabled false closes open connections and refuses new ones; enabled true listens again on the same port', async () => {
  const port = await addProxy(api, 'toggle', echo.port);
  const open = [await connectClient(port), await connectClient(port)];
  for (const client of open) {
    client.socket.write('x');
    await client.waitFor(1);
  }
  const upstreamSockets = echo.sockets.length;
  const disabled = await api.call('POST', '/proxies/toggle', { enabled: false });
  assert.equal(disabled.json.enabled, false);
  for (const client of open) assert.notEqual(await within(client.closed, 2000, 'still open'), 'still open');
  assert.equal(await tryConnect(port), 'ECONNREFUSED');
  // The proxy's upstream sockets were closed too.
  for (const s of echo.sockets.slice(0, upstreamSockets)) {
    const closed = s.destroyed ? 'closed' : await within(new Promise((r) => s.once('close', r)).then(() => 'closed'), 2000, 'open');
    assert.equal(closed, 'closed');
  }

  const enabled = await api.call('POST', '/proxies/toggle', { enabled: true });
  assert.equal(enabled.json.enabled, true);
  assert.equal(enabled.json.listen, `127.0.0.1:${port}`);
  assert.ok(await echoes(port));
});

test('toxics stay on a disabled proxy and act again when it is enabled', async () => {
  const port = await addProxy(api, 'keep-toxics', echo.port);
  await api.call('POST', '/proxies/keep-toxics/toxics', { type: 'limit_data', attributes: { bytes: 1 } });
  await api.call('POST', '/proxies/keep-toxics', { enabled: false });
  await api.call('POST', '/proxies/keep-toxics', { enabled: true });
  const client = await connectClient(port);
  client.socket.write('abc');
  await client.closed;
  assert.equal(client.received().toString(), 'a');
});

test('changing the upstream of an enabled proxy reconnects new clients to the new upstream', async () => {
  const other = await startTcpServer((s) => s.end('other'));
  const port = await addProxy(api, 'switch', echo.port);
  const before = await connectClient(port);
  await api.call('POST', '/proxies/switch', { upstream: `127.0.0.1:${other.port}` });
  assert.notEqual(await within(before.closed, 2000, 'still open'), 'still open');
  const client = await connectClient(port);
  assert.equal((await client.waitFor(5)).toString(), 'other');
  await other.close();
});

test('DELETE /proxies/{name} closes its connections and frees its port', async () => {
  const port = await addProxy(api, 'doomed', echo.port);
  const client = await connectClient(port);
  assert.equal((await api.call('DELETE', '/proxies/doomed')).status, 204);
  assert.notEqual(await within(client.closed, 2000, 'still open'), 'still open');
  assert.equal(await tryConnect(port), 'ECONNREFUSED');
});

test('an unreachable upstream closes the client, and the proxy keeps serving', async () => {
  const dead = await startTcpServer();
  await dead.close();
  const port = await addProxy(api, 'dead-end', dead.port);
  const client = await connectClient(port);
  assert.notEqual(await within(client.closed, 2000, 'still open'), 'still open');
  await api.call('POST', '/proxies/dead-end', { upstream: `127.0.0.1:${echo.port}` });
  assert.ok(await echoes(port));
});

test('close() stops the API and every proxy and closes every connection', async () => {
  const server = await startProxyServer({ port: 0 });
  const res = await fetch(`${server.url}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` }) });
  const listen = ((await res.json()) as { listen: string }).listen;
  const port = Number(listen.split(':')[1]);
  const client = await connectClient(port);
  client.socket.write('x');
  await client.waitFor(1);
  await server.close();
  assert.notEqual(await within(client.closed, 2000, 'still open'), 'still open');
  assert.equal(await tryConnect(port), 'ECONNREFUSED');
  assert.equal(await tryConnect(Number(new URL(server.url).port)), 'ECONNREFUSED');
  await server.close(); // idempotent
});

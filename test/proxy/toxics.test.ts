import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addProxy, connectClient, sleep, startApi, startTcpServer, within, type TestApi, type TestClient, type TestTcpServer } from './helpers.ts';

// Each toxic's effect measured on real sockets through the proxy. Bounds are generous
// (a busy 2-core machine): lower bounds a little under the toxic's time, upper bounds far
// above what the unaffected path takes.

let api: TestApi;
let echo: TestTcpServer;
before(async () => { api = await startApi(); echo = await startTcpServer(); });
after(async () => { await api.close(); await echo.close(); });

let proxyCount = 0;
/** A fresh proxy to the echo server; returns a helper to add toxics to it and its port. */
async function echoProxy() {
  const name = `p${++proxyCount}`;
  const port = await addProxy(api, name, echo.port);
  const toxic = async (spec: object) => {
    const answer = await api.call('POST', `/proxies/${name}/toxics`, spec);
    assert.equal(answer.status, 200, answer.text);
    return answer.json.name as string;
  };
  return { name, port, toxic };
}

/** Sends `text` and waits for the echo; resolves with the round trip in ms. */
async function roundTrip(client: TestClient, text = 'ping'): Promise<number> {
  const before = client.received().length;
  const start = performance.now();
  client.socket.write(text);
  await client.waitFor(before + text.length, 5000);
  return performance.now() - start;
}

test('latency: downstream and upstream each add their time to a round trip', async () => {
  const down = await echoProxy();
  await down.toxic({ type: 'latency', attributes: { latency: 100 } });
  const c1 = await connectClient(down.port);
  assert.ok(await roundTrip(c1) >= 90);
  const up = await echoProxy();
  await up.toxic({ type: 'latency', stream: 'upstream', attributes: { latency: 100, jitter: 10 } });
  const c2 = await connectClient(up.port);
  assert.ok(await roundTrip(c2) >= 85);
  c1.socket.destroy();
  c2.socket.destroy();
});

test('toxicity 0 never applies, toxicity 1 always does', async () => {
  const p = await echoProxy();
  await p.toxic({ type: 'latency', name: 'never', toxicity: 0, attributes: { latency: 400 } });
  for (let i = 0; i < 3; i++) {
    const client = await connectClient(p.port);
    assert.ok(await roundTrip(client) < 300, 'a toxicity-0 toxic was applied');
    client.socket.destroy();
  }
  await api.call('POST', `/proxies/${p.name}/toxics/never`, { toxicity: 1 });
  for (let i = 0; i < 2; i++) {
    const client = await connectClient(p.port);
    assert.ok(await roundTrip(client) >= 360);
    client.socket.destroy();
  }
});

test('a toxic added mid-connection affects the data from then on; updating and removing it too', async () => {
  const p = await echoProxy();
  const client = await connectClient(p.port);
  assert.ok(await roundTrip(client) < 150);
  const name = await p.toxic({ type: 'latency', attributes: { latency: 200 } });
  assert.ok(await roundTrip(client) >= 180);
  await api.call('POST', `/proxies/${p.name}/toxics/${name}`, { attributes: { latency: 400 } });
  assert.ok(await roundTrip(client) >= 360);
  await api.call('DELETE', `/proxies/${p.name}/toxics/${name}`);
  assert.ok(await roundTrip(client) < 150);
  client.socket.destroy();
});

test('removing a latency toxic releases the data it holds at once, in order', async () => {
  const p = await echoProxy();
  const client = await connectClient(p.port);
  const name = await p.toxic({ type: 'latency', attributes: { latency: 5000 } });
  client.socket.write('first,');
  await sleep(20);
  client.socket.write('second');
  await sleep(100);
  assert.equal(client.received().length, 0);
  await api.call('DELETE', `/proxies/${p.name}/toxics/${name}`);
  assert.equal((await client.waitFor(12, 1000)).toString(), 'first,second');
  client.socket.destroy();
});

test('bandwidth: 50 KB at 100 KB/s takes about half a second', async () => {
  const payload = Buffer.alloc(50_000, 7);
  const source = await startTcpServer((s) => s.end(payload));
  const port = await addProxy(api, 'bw', source.port);
  await api.call('POST', '/proxies/bw/toxics', { type: 'bandwidth', attributes: { rate: 100 } });
  const start = performance.now();
  const client = await connectClient(port);
  const data = await client.waitFor(payload.length, 5000);
  const elapsedMs = performance.now() - start;
  assert.equal(data.length, payload.length);
  assert.ok(elapsedMs >= 400, `${elapsedMs} ms`);
  assert.ok(client.arrivals.length >= 3, 'data trickled in pieces');
  await source.close();
});

test('slow_close: the data arrives at once, the close only after the delay', async () => {
  const source = await startTcpServer((s) => s.end('bye'));
  const port = await addProxy(api, 'slowclose', source.port);
  await api.call('POST', '/proxies/slowclose/toxics', { type: 'slow_close', attributes: { delay: 300 } });
  const client = await connectClient(port);
  await client.waitFor(3);
  const gotData = performance.now();
  assert.equal(await client.closed, 'end');
  assert.ok(performance.now() - gotData >= 250);
  await source.close();
});

test('timeout 0 holds the data (connection open) until the toxic is removed', async () => {
  const p = await echoProxy();
  const name = await p.toxic({ type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } });
  const client = await connectClient(p.port);
  client.socket.write('held');
  assert.equal(await within(client.closed, 300, 'open'), 'open');
  assert.equal(client.received().length, 0);
  await api.call('DELETE', `/proxies/${p.name}/toxics/${name}`);
  assert.equal((await client.waitFor(4)).toString(), 'held');
  client.socket.destroy();
});

test('timeout > 0 passes nothing and closes the connection after the timeout', async () => {
  const p = await echoProxy();
  await p.toxic({ type: 'timeout', attributes: { timeout: 200 } });
  const start = performance.now();
  const client = await connectClient(p.port);
  client.socket.write('lost');
  await client.closed;
  assert.ok(performance.now() - start >= 180);
  assert.equal(client.received().length, 0);
});

test('reset_peer: the connection is reset (ECONNRESET) timeout ms after data arrives', async () => {
  const p = await echoProxy();
  await p.toxic({ type: 'reset_peer', attributes: { timeout: 100 } });
  const client = await connectClient(p.port);
  const start = performance.now();
  client.socket.write('hello');
  assert.equal(await client.closed, 'ECONNRESET');
  assert.ok(performance.now() - start >= 90);
  assert.equal(client.received().length, 0);
});

test('slicer: a 1000-byte write arrives in ~100-byte pieces, delay microseconds apart', async () => {
  const payload = Buffer.alloc(1000, 1);
  const source = await startTcpServer((s) => s.write(payload));
  const port = await addProxy(api, 'slicer', source.port);
  await api.call('POST', '/proxies/slicer/toxics', { type: 'slicer', attributes: { average_size: 100, size_variation: 20, delay: 20_000 } });
  const start = performance.now();
  const client = await connectClient(port);
  const data = await client.waitFor(payload.length);
  assert.deepEqual(data, payload);
  assert.ok(client.arrivals.length >= 5, `${client.arrivals.length} pieces`);
  assert.ok(performance.now() - start >= 120); // 9 or so gaps of 20 ms
  client.socket.destroy();
  await source.close();
});

test('limit_data: passes exactly the first N bytes, then closes the connection', async () => {
  const source = await startTcpServer((s) => s.write(Buffer.alloc(100, 2)));
  const port = await addProxy(api, 'limit', source.port);
  await api.call('POST', '/proxies/limit/toxics', { type: 'limit_data', attributes: { bytes: 10 } });
  const client = await connectClient(port);
  await client.closed;
  assert.equal(client.received().length, 10);
  await source.close();
});

test('limit_data upstream counts what the client sends, across writes', async () => {
  let got = '';
  const sink = await startTcpServer((s) => s.on('data', (d: Buffer) => { got += d.toString(); }));
  const port = await addProxy(api, 'limit-up', sink.port);
  await api.call('POST', '/proxies/limit-up/toxics', { type: 'limit_data', stream: 'upstream', attributes: { bytes: 8 } });
  const client = await connectClient(port);
  client.socket.write('12345');
  await sleep(50);
  client.socket.write('67890');
  await client.closed;
  await sleep(50);
  assert.equal(got, '12345678');
  await sink.close();
});

test('a held link stops reading its client (back-pressure), then delivers every byte in order', async () => {
  const totalBytes = 32 * 2 ** 20;
  let got = 0;
  let intact = true;
  const sink = await startTcpServer((s) => s.on('data', (d: Buffer) => {
    for (let i = 0; i < d.length; i += 4096) if (d[i] !== ((got + i) >> 12) % 251) intact = false;
    got += d.length;
  }));
  const port = await addProxy(api, 'pressure', sink.port);
  await api.call('POST', '/proxies/pressure/toxics', { type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } });
  const client = await connectClient(port);
  const payload = Buffer.alloc(totalBytes);
  for (let i = 0; i < totalBytes; i += 4096) payload.fill(((i >> 12) % 251), i, i + 4096);
  client.socket.write(payload);
  await sleep(300);
  // Most of the payload is still in the client's own buffer: the proxy held at most ~1 MiB.
  assert.ok(client.socket.writableLength > totalBytes / 2, `${client.socket.writableLength} bytes still queued`);
  assert.equal(got, 0);
  await api.call('DELETE', '/proxies/pressure/toxics/timeout_upstream');
  const deadline = performance.now() + 5000;
  while (got < totalBytes && performance.now() < deadline) await sleep(20);
  assert.equal(got, totalBytes);
  assert.ok(intact, 'bytes arrived in order');
  client.socket.destroy();
  await sink.close();
});

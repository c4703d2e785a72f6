import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { RunFailedError } from '../../lib/errors.ts';
import { startProxyServer, startProxyThread } from '../../lib/proxy/index.ts';
import { startHttpServer } from '../helpers/net.ts';

// The built-in proxy on its own worker thread, as `faultline run` embeds it.

test('the proxy thread serves the API and forwards traffic, and close() ends it and its listeners', async () => {
  const upstream = await startHttpServer((_req, res) => res.end('from upstream'));
  const server = await startProxyThread({ host: '127.0.0.1', port: 0 });
  try {
    assert.equal(await (await fetch(`${server.url}/version`)).text(), '2.4.0');
    const created = await fetch(`${server.url}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'up', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` }) });
    assert.equal(created.status, 201);
    const { listen } = (await created.json()) as { listen: string };
    assert.equal(await (await fetch(`http://${listen}/`)).text(), 'from upstream');
    await server.close();
    for (const address of [server.url.slice('http://'.length), listen]) {
      const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(port, host, () => { socket.destroy(); resolve(false); });
        socket.on('error', () => resolve(true));
      });
      assert.ok(refused, `${address} is closed`);
    }
  } finally {
    await server.close();
    await upstream.close();
  }
});

test('a proxy thread that cannot listen fails with the reason, as the in-process server does', async () => {
  const taken = await startProxyServer({ port: 0 });
  const port = Number(new URL(taken.url).port);
  try {
    await assert.rejects(startProxyThread({ host: '127.0.0.1', port }), (error: Error) =>
      error instanceof RunFailedError && /cannot listen on 127\.0\.0\.1:\d+/.test(error.message));
  } finally {
    await taken.close();
  }
});

test('a proxy thread that ends before close() says so through `failed`; after a normal close() it never does', async () => {
  const dying = await startProxyThread({ host: '127.0.0.1', port: 0 });
  // The thread is private: end it as a crash would, from outside.
  await (dying as unknown as { thread: { terminate(): Promise<void> } }).thread.terminate();
  const error = await dying.failed;
  assert.ok(error instanceof RunFailedError && /the built-in proxy thread failed: it ended unexpectedly/.test(error.message), error.message);
  await dying.close(); // nothing left to close, and the failure was already reported

  const closed = await startProxyThread({ host: '127.0.0.1', port: 0 });
  await closed.close();
  const settled = await Promise.race([closed.failed.then(() => 'failed'), new Promise((resolve) => setTimeout(() => resolve('quiet'), 200))]);
  assert.equal(settled, 'quiet');
});

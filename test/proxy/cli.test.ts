import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { runCli, startCli } from '../helpers/cli.ts';
import { freeListenPort } from '../helpers/net.ts';

// `faultline proxy` as a user runs it: a separate process, its output and exit code. The
// cases run side by side: most of their time is the CLI's start-up.

describe('faultline proxy', { concurrency: true }, () => {
  test('faultline proxy prints its API URL, serves it, and stops cleanly on SIGTERM', async () => {
    const port = await freeListenPort();
    const proxy = startCli(['proxy', '--listen', `127.0.0.1:${port}`]);
    const [, url] = await proxy.waitFor(/(http:\/\/\S+)\s/);
    assert.equal(url, `http://127.0.0.1:${port}`);
    assert.equal(await (await fetch(`${url}/version`)).text(), '2.4.0');
    const created = await fetch(`${url}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'a', listen: '127.0.0.1:0', upstream: 'x:1' }) });
    assert.equal(created.status, 201);
    proxy.kill('SIGTERM');
    const { code, stderr } = await proxy.exited;
    assert.equal(code, 0, stderr);
    await assert.rejects(fetch(`${url}/version`));
  });

  test('faultline proxy --listen with a bad address exits 2', async () => {
    const bad = ['nope', '127.0.0.1:99999'];
    const results = await Promise.all(bad.map((address) => runCli(['proxy', '--listen', address])));
    for (const [i, result] of results.entries()) {
      assert.equal(result.code, 2, `${bad[i]}: ${result.stderr}`);
      assert.match(result.stderr, /--listen/);
    }
  });

  test('faultline proxy on an address in use exits 3', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const result = await runCli(['proxy', '--listen', `127.0.0.1:${port}`]);
    taken.close();
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /EADDRINUSE|in use/);
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Toxiproxy, type ICreateToxicBody } from 'toxiproxy-node-client';
import { startProxyServer } from '../../lib/proxy/index.ts';
import { freeListenPort } from '../helpers/net.ts';

// The built-in proxy driven by toxiproxy-node-client, covering what that client's own test
// suite exercises against a real Toxiproxy (create, get, getAll, populate, update, remove,
// version, reset, duplicates, toxic CRUD and every toxic type), plus what faultline's
// timeline does with it.

let server: Awaited<ReturnType<typeof startProxyServer>>;
let toxiproxy: Toxiproxy;
before(async () => {
  server = await startProxyServer({ port: 0 });
  toxiproxy = new Toxiproxy(server.url);
});
after(() => server.close());

const body = (name: string) => ({ name, listen: 'localhost:0', upstream: 'localhost:6379' });

test('client: create, get, getVersion, reset, remove', async () => {
  const proxy = await toxiproxy.createProxy(body('create-test'));
  assert.equal(proxy.name, 'create-test');
  assert.equal(proxy.enabled, true);
  assert.match(proxy.listen, /^127\.0\.0\.1:\d+$/);
  const fetched = await toxiproxy.get('create-test');
  assert.equal(fetched.name, proxy.name);
  assert.equal(fetched.listen, proxy.listen);
  assert.equal(await toxiproxy.getVersion(), '2.4.0');
  await toxiproxy.reset();
  await proxy.remove();
  await assert.rejects(toxiproxy.get('create-test'), /Request failed with status code 404/);
});

test('client: creating the same proxy twice fails with 409', async () => {
  const proxy = await toxiproxy.createProxy(body('duplicate'));
  await assert.rejects(toxiproxy.createProxy(body('duplicate')), /Request failed with status code 409/);
  await proxy.remove();
});

test('client: update disables, then changes the upstream and enables again', async () => {
  const proxy = await toxiproxy.createProxy(body('update-proxy-test'));
  const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
  assert.equal(disabled.enabled, false);
  const updated = await proxy.update({ enabled: true, listen: proxy.listen, upstream: 'somehost:12345' });
  assert.equal(updated.enabled, true);
  assert.equal(updated.upstream, 'somehost:12345');
  assert.equal(updated.listen, proxy.listen);
  await proxy.remove();
});

test('client: populate, then getAll lists exactly the proxies with their listen and upstream', async () => {
  const populated = await toxiproxy.populate([body('get-all-test')]);
  assert.deepEqual(Object.keys(populated), ['get-all-test']);
  await Promise.all(Object.values(populated).map((p) => p.remove()));

  const [port1, port2] = [await freeListenPort(), await freeListenPort()];
  const proxy1 = { listen: `127.0.0.1:${port1}`, name: 'get-all-test1', upstream: 'localhost:6379' };
  const proxy2 = { listen: `127.0.0.1:${port2}`, name: 'get-all-test2', upstream: 'localhost:12345' };
  await toxiproxy.populate([proxy1, proxy2]);
  const proxies = await toxiproxy.getAll();
  assert.equal(Object.keys(proxies).length, 2);
  for (const p of [proxy1, proxy2]) {
    assert.equal(proxies[p.name]?.name, p.name);
    assert.equal(proxies[p.name]?.listen, p.listen);
    assert.equal(proxies[p.name]?.upstream, p.upstream);
  }
  await Promise.all(Object.values(proxies).map((p) => p.remove()));
});

test('client: toxic CRUD; the same toxic twice fails with 409', async () => {
  const proxy = await toxiproxy.createProxy(body('remove-toxic-test'));
  const toxic = await proxy.addToxic({ type: 'latency', attributes: { latency: 1000, jitter: 100 } } as ICreateToxicBody<{ latency: number; jitter: number }>);
  assert.equal(toxic.name, 'latency_downstream');
  assert.equal(toxic.toxicity, 1);
  assert.equal(toxic.stream, 'downstream');
  assert.deepEqual(toxic.attributes, { latency: 1000, jitter: 100 });
  await assert.rejects(proxy.addToxic({ type: 'latency', attributes: { latency: 1000, jitter: 100 } } as ICreateToxicBody<unknown>), /status code 409/);
  const fromServer = await proxy.getToxic(toxic.name);
  assert.deepEqual(fromServer.toJson(), toxic.toJson());
  const updated = await toxic.update({ attributes: { latency: 12345, jitter: 42 } } as never);
  assert.deepEqual(updated.attributes, { latency: 12345, jitter: 42 });
  await toxic.remove();
  await assert.rejects(proxy.getToxic('latency_downstream'), /status code 404/);
  await proxy.remove();
});

test('client: every toxic type is added with the attributes given', async () => {
  const cases: Array<[string, Record<string, number>]> = [
    ['latency', { latency: 1000, jitter: 100 }],
    ['bandwidth', { rate: 1000 }],
    ['slow_close', { delay: 1000 }],
    ['timeout', { timeout: 5000 }],
    ['slicer', { average_size: 1000, size_variation: 1000, delay: 1000 }],
    ['reset_peer', { timeout: 1000 }],
    ['limit_data', { bytes: 42 }],
  ];
  for (const [type, attributes] of cases) {
    const proxy = await toxiproxy.createProxy(body(`add-${type}-toxic-test`));
    const toxic = await proxy.addToxic({ type, attributes } as ICreateToxicBody<unknown>);
    assert.deepEqual(toxic.attributes, attributes, type);
    assert.equal(toxic.type, type);
    await proxy.remove();
  }
});

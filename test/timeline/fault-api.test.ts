import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProxyServer } from '../../lib/proxy/index.ts';
import { resolveScenario } from '../../lib/scenario/index.ts';
import { FaultApi, FaultApiError } from '../../lib/timeline/index.ts';
import { freeListenPort, startHttpServer } from '../helpers/net.ts';

// FaultApi's calls against a real built-in proxy, and its timeouts and retries against a
// small server that answers as the test says.

async function withProxy(run: (api: FaultApi, step: ReturnType<typeof resolveScenario>['scenario']['timeline'][number]) => Promise<void>) {
  const { scenario } = resolveScenario({
    name: 'fault-api', target: { baseUrl: 'http://127.0.0.1:9' },
    load: { executor: 'constant-arrival-rate', rate: 1, timeUnit: '1s', duration: '5s', preAllocatedVUs: 1 },
    requests: [{ name: 'get', path: '/' }],
    proxies: [{ name: 'store', listen: `127.0.0.1:${await freeListenPort()}`, upstream: '127.0.0.1:9' }],
    timeline: [{ at: '0s', for: '1s', proxy: 'store', fault: { type: 'latency', attributes: { latency: 10, jitter: 0 } } }],
  } as never, { env: {} });
  const server = await startProxyServer({ port: 0 });
  const api = new FaultApi({ url: server.url });
  try {
    await api.prepare(scenario.proxies);
    await run(api, scenario.timeline[0]!);
  } finally {
    await api.close();
    await server.close();
  }
}

test('a fault switched on twice (409) or off twice (404) is settled, not an error', async () => {
  await withProxy(async (api, step) => {
    await api.on(step, { latency: 10, jitter: 0 });
    await api.on(step, { latency: 10, jitter: 0 });
    assert.deepEqual(await api.stillFaulted(['store']), ['store/faultline_0_latency_downstream']);
    await api.off(step);
    await api.off(step);
    assert.deepEqual(await api.stillFaulted(['store']), []);
  });
});

test('a ramp of a toxic that is not there fails at once with its status', async () => {
  await withProxy(async (api, step) => {
    const error = await api.ramp(step, { latency: 20, jitter: 0 }).then(() => null, (e: unknown) => e);
    assert.ok(error instanceof FaultApiError, String(error));
    assert.equal(error.status, 404);
  });
});

test('a call is retried after a server error and after a timeout, up to `attempts` times', async () => {
  let calls = 0;
  const server = await startHttpServer((_req, res) => {
    calls++;
    if (calls === 1) { res.statusCode = 500; res.end('busy'); return; }
    if (calls === 2) return; // never answers: the call times out
    res.end('2.4.0');
  });
  const api = new FaultApi({ url: server.url, timeoutMs: 200, attempts: 3, retryDelayMs: 1 });
  try {
    assert.equal(await api.version(), '2.4.0');
    assert.equal(calls, 3);
    calls = 0;
    const tooFew = new FaultApi({ url: server.url, timeoutMs: 200, attempts: 1 });
    await assert.rejects(tooFew.version(), (e: unknown) => e instanceof FaultApiError && e.status === 500);
    await tooFew.close();
  } finally {
    await api.close();
    await server.close();
  }
});

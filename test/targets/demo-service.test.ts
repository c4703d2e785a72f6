import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoService, type CircuitChange, type DemoService } from '../../targets/demo-service.ts';
import { startKvStore, type KvStore } from '../../targets/kv-store.ts';
import { startProfileApi, type ProfileApi } from '../../targets/profile-api.ts';
import { startFaultProxy, type FaultedLink, type FaultProxy, type LinkFault } from '../helpers/fault-proxy.ts';

/** Every failure must end within this, in ms (the store's bound is 100 ms, the profiles' 200 ms). */
const BOUND_MS = 500;

interface Reply { status: number; json: Record<string, unknown>; ms: number }

describe('demo-service', () => {
  let store: KvStore;
  let api: ProfileApi;
  let proxy: FaultProxy;
  let storeLink: FaultedLink;
  let profileLink: FaultedLink;
  let service: DemoService;
  const circuitLog: CircuitChange[] = [];

  const call = async (path: string, body?: unknown): Promise<Reply> => {
    const started = performance.now();
    const res = await fetch(service.url + path, body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    return { status: res.status, json, ms: performance.now() - started };
  };
  const verify = (token: string) => call('/verify', { token });
  const circuit = async (name: string) => ((await call('/health')).json.circuit as Record<string, string>)[name];

  /** Polls until the service answers `token` from the store again, within `withinMs`. */
  const recovered = async (token: string, withinMs: number): Promise<number> => {
    const started = performance.now();
    while (performance.now() - started < withinMs) {
      if ((await verify(token)).json.source === 'store') return performance.now() - started;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail(`no answer from the store within ${withinMs} ms`);
  };

  /** Under `mode`, a cached token is answered from the cache and an uncached one is 503, all bounded. */
  const fallsBack = async (mode: LinkFault): Promise<void> => {
    assert.equal((await verify('t-3')).json.source, 'store');
    await storeLink.setMode(mode);
    const replies: Reply[] = [];
    for (let i = 0; i < 8; i++) replies.push(await verify('t-3'));
    for (const r of replies) {
      assert.deepEqual([r.status, r.json], [200, { valid: true, source: 'cache' }]);
      assert.ok(r.ms < BOUND_MS, `${mode}: answered in ${r.ms.toFixed(0)} ms`);
    }
    assert.equal(await circuit('store'), 'open');
    const uncached = await verify('t-98');
    assert.equal(uncached.status, 503);
    assert.ok(uncached.ms < BOUND_MS);
    await storeLink.setMode('pass');
    await recovered('t-3', 2000);
    assert.equal(await circuit('store'), 'closed');
  };

  before(async () => {
    store = await startKvStore();
    api = await startProfileApi();
    proxy = await startFaultProxy();
    storeLink = await proxy.link('store', store.port);
    profileLink = await proxy.link('profiles', api.port);
    service = await startDemoService({ store: `127.0.0.1:${storeLink.port}`, profiles: `127.0.0.1:${profileLink.port}`, onCircuitChange: (c) => circuitLog.push(c) });
    await recovered('t-0', 2000); // connected and seeded
  });
  after(async () => {
    await service.close();
    await Promise.all([proxy.close(), store.close(), api.close()]);
  });

  it('answers from the store, seeded with t-0..t-99', async () => {
    assert.deepEqual((await verify('t-99')).json, { valid: true, source: 'store' });
    assert.deepEqual((await verify('stranger')).json, { valid: false, source: 'store' });
    assert.equal((await call('/verify', { nope: 1 })).status, 400);
    assert.deepEqual((await call('/health')).json, { status: 'ok', circuit: { store: 'closed', profiles: 'closed' } });
  });

  it('falls back to the cache when the store is down, opens the circuit, and closes it when the store returns', async () => {
    await fallsBack('down');
  });

  it('bounds every request when the store stalls', async () => {
    await fallsBack('stall');
  });

  it('bounds every request when the store is slower than the timeout', async () => {
    await fallsBack('slow');
  });

  it('falls back when the store resets connections', async () => {
    await fallsBack('reset');
  });

  it('opens the circuit after 5 consecutive failures, and fails fast while open', async () => {
    await verify('t-4');
    await storeLink.setMode('stall');
    try {
      const states: string[] = [];
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        times.push((await verify('t-4')).ms);
        states.push((await circuit('store'))!);
      }
      assert.deepEqual(states, ['closed', 'closed', 'closed', 'closed', 'open', 'open', 'open', 'open', 'open', 'open']);
      // The first call waits for the 100 ms timeout (the stalled connection is then replaced, so
      // the next calls fail at once); once open, the cache answers without trying the store.
      // On a loaded machine these calls can outlast the 500 ms cool-down: one of them is then
      // the probe, which waits for the timeout again.
      assert.ok(times[0]! >= 90 && times[0]! < BOUND_MS, times.join(','));
      const whileOpen = times.slice(5).sort((a, b) => a - b);
      assert.ok(whileOpen.slice(0, -1).every((ms) => ms < 90) && whileOpen[2]! < 50, times.join(','));
    } finally {
      await storeLink.setMode('pass');
      await recovered('t-4', 2000);
    }
  });

  it('logs each change of a circuit: open at the 5th failure, half-open at the probe, closed on its answer', async () => {
    await recovered('t-6', 2000);
    circuitLog.length = 0;
    await storeLink.setMode('down');
    try {
      const before = Date.now();
      for (let i = 0; i < 5; i++) await verify('t-6');
      const after = Date.now();
      assert.deepEqual(circuitLog[0] && [circuitLog[0].circuit, circuitLog[0].state], ['store', 'open'], JSON.stringify(circuitLog));
      const openedAt = Date.parse(circuitLog[0]!.time);
      assert.ok(openedAt >= before && openedAt <= after, `opened at ${circuitLog[0]!.time}, during the 5 failing calls`);
    } finally {
      await storeLink.setMode('pass');
      await recovered('t-6', 2000);
    }
    const states = circuitLog.map((c) => c.state);
    assert.deepEqual(states.slice(-2), ['half-open', 'closed'], states.join(','));
    assert.ok(Date.parse(circuitLog.at(-1)!.time) >= Date.parse(circuitLog[0]!.time) + 499, 'the probe waits for the 500 ms cool-down');
  });

  it('serves /health while the store is down, never touching it', async () => {
    await storeLink.setMode('down');
    const health = await call('/health');
    assert.equal(health.status, 200);
    assert.ok(health.ms < 50);
    await storeLink.setMode('pass');
    await recovered('t-5', 2000);
  });

  it('answers /profile/:id from the API, 503 with no fallback when it fails, and opens its circuit', async () => {
    assert.deepEqual((await call('/profile/p-1')).json, { id: 'p-1', name: 'User p-1' });
    await profileLink.setMode('stall');
    for (let i = 0; i < 6; i++) {
      const r = await call('/profile/p-1');
      assert.equal(r.status, 503);
      assert.ok(r.ms < BOUND_MS, `answered in ${r.ms.toFixed(0)} ms`);
    }
    assert.equal(await circuit('profiles'), 'open');
    assert.equal(await circuit('store'), 'closed'); // one dependency's circuit does not touch the other's
    await profileLink.setMode('pass');
    await new Promise((r) => setTimeout(r, 550)); // the cool-down
    assert.equal((await call('/profile/p-2')).status, 200);
    assert.equal(await circuit('profiles'), 'closed');
  });
});

describe('demo-service with --cache-size 0', () => {
  it('has no fallback: a token it has answered before gets 503 while the store is down', async () => {
    const store = await startKvStore();
    const proxy = await startFaultProxy();
    const link = await proxy.link('store', store.port);
    const service = await startDemoService({ store: `127.0.0.1:${link.port}`, cacheSize: 0 });
    try {
      const verify = async (token: string) => {
        const res = await fetch(`${service.url}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
        return [res.status, await res.json()] as const;
      };
      const deadline = Date.now() + 2000;
      while ((await verify('t-1'))[0] !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual(await verify('t-1'), [200, { valid: true, source: 'store' }]);
      await link.setMode('down');
      for (let i = 0; i < 6; i++) assert.equal((await verify('t-1'))[0], 503);
      assert.equal(service.circuits().store, 'open');
    } finally {
      await service.close();
      await Promise.all([proxy.close(), store.close()]);
    }
  });
});

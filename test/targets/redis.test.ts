// The Redis variant: the demo service, unchanged, against a real redis-server (Debian's
// `redis-server`; CI installs it with apt-get). Without it the test is skipped locally and
// fails under CI.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startDemoService, type DemoService } from '../../targets/demo-service.ts';
import { tokenKey, VALID_RECORD } from '../../targets/token-store.ts';
import { startFaultProxy, type FaultedLink, type FaultProxy } from '../helpers/fault-proxy.ts';
import { freeListenPort } from '../helpers/net.ts';

const installed = spawnSync('redis-server', ['--version']).status === 0;
const MISSING = 'redis-server is not installed (apt-get install -y redis-server)';
if (!installed && process.env.CI) throw new Error(`${MISSING}; CI must install it`);

describe('demo-service against a real redis-server', { skip: installed ? false : MISSING }, () => {
  let server: ChildProcess;
  let redis: Redis;
  let proxy: FaultProxy;
  let link: FaultedLink;
  let service: DemoService;

  before(async () => {
    const port = await freeListenPort();
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 0 });
    redis.on('error', () => {});
    const started = performance.now();
    for (;;) {
      try {
        await redis.connect();
        break;
      } catch (err) {
        if (performance.now() - started > 5000) throw err;
        redis.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    proxy = await startFaultProxy();
    link = await proxy.link('store', port);
    service = await startDemoService({ store: `127.0.0.1:${link.port}` });
  });
  after(async () => {
    await service?.close();
    await proxy?.close();
    redis?.disconnect();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
  });

  const verify = async (token: string) => {
    const res = await fetch(`${service.url}/verify`, { method: 'POST', body: JSON.stringify({ token }) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('seeds the tokens with SET NX and reads them with GET', async () => {
    const started = performance.now();
    while ((await verify('t-7')).json.source !== 'store') {
      assert.ok(performance.now() - started < 3000, 'no answer from redis within 3 s');
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(await redis.get(tokenKey('t-7')), VALID_RECORD);
    assert.equal(await redis.exists(tokenKey('t-0'), tokenKey('t-99'), tokenKey('t-100')), 2);
    await redis.set(tokenKey('revoked'), '{"valid":false}');
    assert.deepEqual((await verify('revoked')).json, { valid: false, source: 'store' });
  });

  it('falls back to the cache while redis is unreachable and returns to it after', async () => {
    await link.setMode('down');
    assert.deepEqual(await verify('t-7'), { status: 200, json: { valid: true, source: 'cache' } });
    assert.equal((await verify('t-8')).status, 503);
    await link.setMode('pass');
    const started = performance.now();
    while ((await verify('t-8')).json.source !== 'store') {
      assert.ok(performance.now() - started < 2000, 'redis not used again within 2 s');
      await new Promise((r) => setTimeout(r, 25));
    }
  });
});

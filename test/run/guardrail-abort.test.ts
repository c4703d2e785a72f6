import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { freeListenPort, startCountingServer } from '../helpers/net.ts';
import { writeScenario } from './support.ts';

test('a guardrail stops the faults and the load, keeps and analyses what was measured, exits 3', async () => {
  const upstream = await startCountingServer();
  const listen = `127.0.0.1:${await freeListenPort()}`;
  const { dir, file } = await writeScenario({
    name: 'guarded', target: { baseUrl: `http://${listen}` },
    load: { executor: 'constant-arrival-rate', rate: 100, timeUnit: '1s', duration: '20s', preAllocatedVUs: 10, maxVUs: 50, gracefulStop: '1s' },
    requests: [{ name: 'get', path: '/', timeout: '500ms' }],
    proxies: [{ name: 'svc', listen, upstream: `127.0.0.1:${upstream.port}` }],
    timeline: [{ at: '1s', for: '15s', proxy: 'svc', fault: { type: 'down', attributes: {} } }],
    guardrails: [{ measure: 'errorRate', above: 0.5, for: '2s' }],
  });
  try {
    const started = Date.now();
    const r = await runCli(['run', file, '--engine', 'builtin', '--out', join(dir, 'runs')]);
    assert.equal(r.code, 3, r.stderr);
    assert.ok(Date.now() - started < 12_000, 'stopped long before the 20 s load would end');
    assert.match(r.stderr, /guardrail: error rate above 50% for 2 s/);
    const folder = r.stdout.trim().split('\n').pop()!;
    const events = JSON.parse(await readFile(join(folder, 'events.json'), 'utf8'));
    assert.deepEqual(events.events.map((e: { edge: string; kind: string }) => `${e.edge}/${e.kind}`), ['on/edge', 'off/cleanup']);
    assert.ok(events.events[1].appliedAt, 'the fault was removed');
    const summary = JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8'));
    assert.ok(summary.overall.requests > 100);
    assert.ok(summary.warnings.some((w: string) => /stopped early: guardrail/.test(w)));
  } finally {
    await upstream.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Summary } from '../../lib/analysis/index.ts';
import { runCli, runFolder } from '../helpers/cli.ts';
import { needs } from '../helpers/real-tools.ts';
import { freeListenPort } from '../helpers/net.ts';
import { of, readPoints, startChild, type Child } from './support.ts';

// `faultline run` of a scenario that watches its target's own process: the service (a real
// HTTP server in a process of its own, found by a command-line match) behind the built-in
// proxy, 400 req/s for 4 s, with a fault step (1 s to 3 s) for phases. What is checked here
// is the wiring (sampler, run folder, analysis, reports, analyze); what the figures mean is
// checked against known processes in sampler.test.ts and test/analysis/vitals.test.ts.

async function watchedRun(engine: 'builtin' | 'k6', check: (run: WatchedRun) => Promise<void>): Promise<void> {
  const token = `vitals-run-${engine}-${process.pid}-${Date.now()}`;
  const dir = await mkdtemp(join(tmpdir(), 'faultline-vitals-run-'));
  let service: Child | undefined;
  try {
    service = await startChild('serve', token);
    const port = Number((await service.running.waitFor(/^port (\d+)$/m))[1]);
    const listen = `127.0.0.1:${await freeListenPort()}`;
    const file = join(dir, 'watched.mjs');
    await writeFile(file, `export default ${JSON.stringify({
      name: 'watched', target: { baseUrl: `http://${listen}` },
      load: { executor: 'constant-arrival-rate', rate: 400, timeUnit: '1s', duration: '4s', preAllocatedVUs: 20, maxVUs: 100, gracefulStop: '1s' },
      requests: [{ name: 'get', path: '/', timeout: '500ms' }],
      proxies: [{ name: 'svc', listen, upstream: `127.0.0.1:${port}` }],
      processes: [{ name: 'service', match: token }],
      timeline: [{ at: '1s', for: '2s', proxy: 'svc', fault: { type: 'down', attributes: {} } }],
    })};\n`);
    const r = await runCli(['run', file, '--engine', engine, '--out', join(dir, 'runs')], { timeoutMs: 60_000 });
    const folder = runFolder(r.stdout)!;
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8')) as Summary;
    await check({ service: service.pid, folder, summary });
  } finally {
    await service?.end();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

interface WatchedRun { service: number; folder: string; summary: Summary }

async function checkRun(run: WatchedRun): Promise<void> {
  const { summary, folder, service } = run;
  const { points } = await readPoints(join(folder, 'vitals.json'));
  assert.ok(of(points, 'rss').every((p) => p.tags.pid === String(service) && p.tags.process === 'service'));
  assert.ok(of(points, 'up').length >= 5, `${of(points, 'up').length} samples in a 4 s load`);
  assert.equal(summary.vitals?.length, 1);
  const vitals = summary.vitals[0]!;
  assert.equal(vitals.process, 'service');
  assert.deepEqual(vitals.phases.map((p) => p.phase), ['baseline', 'fault-1', 'recovery-1']);
  const baseline = vitals.phases[0]!;
  // The first second: the service busy with 400 requests, each spinning 0.2 ms (0.08 cores of work at least).
  assert.ok(baseline.samples === 1 && baseline.cpuCoresMean! > 0.05, `baseline: ${JSON.stringify(baseline)}`);
  assert.ok(vitals.overall.samples >= 4 && vitals.overall.rssBytesMax! > 20 * 2 ** 20, JSON.stringify(vitals.overall));
  assert.equal(vitals.overall.downSeconds, 0);
  assert.deepEqual(vitals.series.map((p) => p.tMs).slice(0, 4), [0, 1000, 2000, 3000]);
  assert.ok(!summary.warnings.some((w) => /vital/.test(w)), summary.warnings.join('\n'));
  const html = await readFile(join(folder, 'report.html'), 'utf8');
  assert.match(html, /<h2>service: CPU and memory<\/h2><div class="chart" id="chart-vitals-0"><\/div>/);
  assert.match(await readFile(join(folder, 'report.md'), 'utf8'), /## Vital signs\n\n### service\n/);
  // `faultline analyze` of the run folder reads the same vitals.json.
  const again = await runCli(['analyze', folder, '--out', join(folder, 'again')]);
  assert.equal(again.code, 0, again.stderr);
  const reanalysed = JSON.parse(await readFile(join(folder, 'again', 'summary.json'), 'utf8')) as Summary;
  assert.deepEqual(reanalysed.vitals, summary.vitals);
}

test('faultline run (built-in engine) records a watched process\'s vital signs into vitals.json, summary.json and the reports', { timeout: 60_000 }, async () => {
  await watchedRun('builtin', checkRun);
});

test('faultline run --engine k6 records them too', { skip: needs('k6'), timeout: 90_000 }, async () => {
  await watchedRun('k6', checkRun);
});

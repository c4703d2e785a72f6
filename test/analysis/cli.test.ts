import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { eventsFile, RECORDED, tempDir } from './synthetic.ts';

// `faultline analyze` as a black box: files written, table printed, exit codes 0 / 1 / 2.

const T0 = Date.parse('2026-11-24T15:03:06.478Z');

async function runFolder(slo: Record<string, string[]>): Promise<string> {
  const dir = await tempDir();
  await cp(join(RECORDED, 'run-with-errors.json.gz'), join(dir, 'samples.json.gz'));
  await writeFile(join(dir, 'events.json'), JSON.stringify(eventsFile([{ edge: 'on', proxy: 'store', atMs: 1000 }, { edge: 'off', proxy: 'store', atMs: 2000 }], T0)));
  await writeFile(join(dir, 'scenario.json'), JSON.stringify({ name: 'run-with-errors', slo }));
  return dir;
}

test('analyze writes summary.json and latency.hlog, prints a table, exits 0 when the SLOs pass', async () => {
  const dir = await runFolder({ http_req_failed: ['rate<0.5'], 'http_req_duration{name:verify}': ['p(99)<500'] });
  const r = await runCli(['analyze', join(dir, 'samples.json.gz'), '--events', join(dir, 'events.json'), '--out', join(dir, 'out')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /run-with-errors: 601 requests/);
  assert.match(r.stdout, /fault-1/);
  assert.match(r.stdout, /verdict: pass/);
  const summary = JSON.parse(await readFile(join(dir, 'out', 'summary.json'), 'utf8'));
  assert.equal(summary.scenario.name, 'run-with-errors');
  assert.equal(summary.slo.length, 2);
  assert.equal(summary.engine.name, 'k6');
  assert.match(await readFile(join(dir, 'out', 'latency.hlog'), 'utf8'), /Histogram log format version 1\.3/);
});

test('analyze exits 1 when an SLO fails and 2 on bad input', async () => {
  const dir = await runFolder({ 'transition.errorRate': ['max<0.05'] });
  const failed = await runCli(['analyze', join(dir, 'samples.json.gz'), '--events', join(dir, 'events.json'), '--out', join(dir, 'out')]);
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stdout, /FAIL {2}transition\.errorRate max<0\.05/);
  const missing = await runCli(['analyze', join(dir, 'missing.json.gz'), '--out', join(dir, 'out2')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read samples/);
  await writeFile(join(dir, 'bad-scenario.json'), JSON.stringify({ name: 'x', slo: { http_req_failed: ['below 5%'] } }));
  const badSlo = await runCli(['analyze', join(dir, 'samples.json.gz'), '--scenario', join(dir, 'bad-scenario.json'), '--out', join(dir, 'out3')]);
  assert.equal(badSlo.code, 2);
  assert.match(badSlo.stderr, /slo\.http_req_failed/);
});

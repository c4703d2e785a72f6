import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { makeRun } from './fixture.ts';

// `faultline compare` and `faultline baseline` as a user runs them: exit 0 no regression,
// 1 regression, 2 bad input.

let dir = '';
const file = (name: string) => join(dir, name);
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-compare-'));
  const write = (name: string, doc: unknown) => writeFile(file(name), JSON.stringify(doc));
  await Promise.all([
    write('baseline-run.json', makeRun({ seed: 1 })),
    write('noisy.json', makeRun({ seed: 9 })),
    write('slower.json', makeRun({ seed: 9, latencyFactor: 1.5, extraErrorRate: 0.03, settleOffMs: null })),
    write('within.json', makeRun({ seed: 1, latencyFactor: 1.05 })),
    write('other-schema.json', { ...makeRun(), schemaVersion: 2 }),
    write('not-summary.json', { metric: 'http_reqs', type: 'Point' }),
    writeFile(file('broken.json'), '{"schemaVersion": 1, '),
  ]);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('a clear regression exits 1 and names it in the table', async () => {
  const r = await runCli(['compare', file('slower.json'), file('baseline-run.json')]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^measure\s+baseline\s+now\s+change\s+verdict$/m);
  assert.match(r.stdout, /^overall p99\s+\S+ ms\s+\S+ ms\s+\+\S+ ms \(\+\d+\.\d%\)\s+REGRESSION \(p=/m);
  assert.match(r.stdout, /^transition off store:down #1 settle time\s+1\.4 s\s+never\s+REGRESSION \(never settled\)$/m);
  assert.match(r.stdout, /\d+ regression\(s\): overall p50/);
});

test('the same build with other noise exits 0; so does a change within tolerance', async () => {
  const noisy = await runCli(['compare', file('noisy.json'), file('baseline-run.json')]);
  assert.equal(noisy.code, 0, noisy.stdout + noisy.stderr);
  assert.match(noisy.stdout, /^no regression$/m);
  const within = await runCli(['compare', file('within.json'), file('baseline-run.json')]);
  assert.equal(within.code, 0, within.stdout);
});

test('--tolerance loosens the gate; --json prints the comparison', async () => {
  const r = await runCli(['compare', file('slower.json'), file('baseline-run.json'), '--json',
    '--tolerance', 'p50=100%,p95=100%,p99=100%,errorRate=0.1,settle=1000%']);
  const c = JSON.parse(r.stdout) as { regressions: { measure: string }[] };
  assert.deepEqual(c.regressions.map((x) => x.measure), ['transition off store:down #1 settle time'], 'never settling is a regression whatever the tolerance');
  assert.equal(r.code, 1);
});

test('baseline writes a baseline file that compare accepts', async () => {
  const r = await runCli(['baseline', file('baseline-run.json')], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), join('results', 'baselines', 'redis-outage.json'));
  const written = JSON.parse(await readFile(join(dir, r.stdout.trim()), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(written).sort(), ['baselineOf', 'durationMs', 'engine', 'load', 'overall', 'phases', 'scenario', 'schemaVersion', 'series', 'startedAt', 'transitions', 'versions']);
  assert.equal((written.baselineOf as { source: string }).source, file('baseline-run.json'));
  assert.equal((written.series as unknown[]).length, 40);
  const out = file('custom/base.json');
  assert.equal((await runCli(['baseline', file('baseline-run.json'), '--out', out])).stdout.trim(), out);
  const cmp = await runCli(['compare', file('noisy.json'), out]);
  assert.equal(cmp.code, 0, cmp.stdout);
  assert.match(cmp.stdout, /^baseline: .*base\.json \(baseline of .*baseline-run\.json, taken \d{4}-/m);
  assert.equal((await runCli(['compare', file('slower.json'), out])).code, 1);
});

test('bad input exits 2 with the file named', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['compare', file('missing.json'), file('baseline-run.json')], /cannot read .*missing\.json/],
    [['compare', file('broken.json'), file('baseline-run.json')], /broken\.json is not JSON/],
    [['compare', file('not-summary.json'), file('baseline-run.json')], /not-summary\.json is not a faultline summary/],
    [['compare', file('noisy.json'), file('other-schema.json')], /other-schema\.json \(schemaVersion\): got 2, expected 1/],
    [['compare', file('noisy.json'), file('baseline-run.json'), '--tolerance', 'p98=5%'], /--tolerance: got "p98=5%"/],
    [['compare', file('noisy.json'), file('baseline-run.json'), '--alpha', '5'], /--alpha/],
    [['compare', file('noisy.json')], /missing required argument/],
    [['baseline', file('broken.json')], /is not JSON/],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i]![0].join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, cases[i]![1]);
  });
});

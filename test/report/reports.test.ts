import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPORT_FORMATS, writeReports } from '../../lib/report/index.ts';
import { makeRun } from './fixture.ts';

const render = async (file: string, run = makeRun()) => {
  const format = REPORT_FORMATS[file];
  assert.ok(format, `${file} is registered`);
  return format.render(run);
};

test('writeReports writes every registered format and returns the paths', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-report-'));
  try {
    const out = join(dir, 'nested', 'run');
    const paths = await writeReports(makeRun(), out);
    assert.deepEqual(paths, ['report.md', 'report.html', 'junit.xml'].map((f) => join(out, f)));
    for (const p of paths) assert.ok((await readFile(p, 'utf8')).length > 500);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('report.md: verdict, load asked vs achieved, phases, transitions, SLOs, warnings', async () => {
  const run = makeRun({ settleOffMs: null });
  run.warnings.push('k6 CSV | whole seconds');
  const md = await render('report.md', run);
  assert.match(md, /^# faultline report: redis-outage$/m);
  assert.match(md, /\*\*Verdict: FAIL\*\*: 1 of 4 SLO\(s\) failed: `recovery\.time max<2s`/);
  assert.match(md, /\| rate \| 1000\.0 req\/s \| 999\.\d req\/s \|/);
  assert.match(md, /\| fault-1 \| fault \| \+10\.00 s to \+15\.00 s \| store:down \|/);
  assert.match(md, /\| 1 \| on \| store \| down \| \+10\.00 s \(2025-06-01T02:00:10\.000Z\) \| \d+\.\d\d% \|.*\| 1\.1 s \|  \| 3\.0 ms \|/);
  assert.match(md, /\| 2 \| off \| store \| down \|.*\| never settled \| never settled \| 4\.0 ms \|/);
  assert.match(md, /\| `recovery\.time` \| `max<2s` \| no data \| \*\*FAIL\*\* \|/);
  assert.match(md, /^- k6 CSV \\\| whole seconds$/m, 'a pipe in free text cannot break the table');
});

test('report.md of a passing run', async () => {
  const md = await render('report.md');
  assert.match(md, /\*\*Verdict: PASS\*\* \(4 SLO\(s\) met\)/);
  assert.match(md, /## Warnings\n\n_None\._/);
});

test('junit.xml: one case per SLO and per transition; never settled and transition SLOs fail their transition', async () => {
  const run = makeRun({ settleOffMs: null });
  // A second "on" transition with a high error rate breaks `transition.errorRate max<0.05`.
  const second = { ...run.transitions[0]!, atMs: 25_000, at: '2025-06-01T02:00:25.000Z', errorRate: 0.2 };
  run.transitions.push(second);
  const slo = run.slo.find((r) => r.measure === 'transition.errorRate')!;
  Object.assign(slo, { observed: 0.2, pass: false });
  const xml = await render('junit.xml', run);
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="faultline\.redis-outage" tests="7" failures="4"/);
  assert.match(xml, /<testsuite name="faultline\.redis-outage\.slo" tests="4" failures="2"/);
  assert.match(xml, /<testsuite name="faultline\.redis-outage\.transitions" tests="3" failures="2"/);
  const cases = [...xml.matchAll(/<testcase classname="[^"]+" name="([^"]+)" time="0">\n(\s+<failure message="([^"]*)")?/g)].map((m) => [m[1], m[3] ?? null]);
  assert.deepEqual(cases, [
    ['http_req_failed rate&lt;0.05', null],
    ['http_req_duration{name:verify} p(99)&lt;250', null],
    ['transition.errorRate max&lt;0.05', 'observed 20.00%, expected max&lt;0.05'],
    ['recovery.time max&lt;2s', 'observed no data, expected max&lt;2s'],
    ['#1 on store:down at +10.00 s', null],
    ['#2 off store:down at +15.00 s', 'never settled; SLO recovery.time max&lt;2s failed'],
    ['#3 on store:down at +25.00 s', 'SLO transition.errorRate max&lt;0.05 failed'],
  ]);
});

test('junit.xml escapes text and drops characters XML forbids', async () => {
  const run = makeRun();
  run.scenario.name = 'a<b>&"c"\u0001';
  const xml = await render('junit.xml', run);
  assert.match(xml, /<testsuites name="faultline\.a&lt;b&gt;&amp;&quot;c&quot;"/);
  assert.ok(!xml.includes('\u0001'));
});

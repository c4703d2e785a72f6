import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeRun, type Summary } from '../../lib/analysis/index.ts';
import { writeReports } from '../../lib/report/index.ts';
import type { EventsFile } from '../../lib/timeline/events.ts';
import { k6JsonRun, steady, writeTemp } from '../analysis/synthetic.ts';
import { NO_CHROMIUM, withReportPage } from '../helpers/browser.ts';

// The reports of a run with a watched process (the recorded vitals of test/fixtures/vitals:
// paused 2.5-5.5 s, killed 7.5 s, back 9.2 s): a CPU and memory chart under the latency
// chart with the fault intervals shaded, in a real headless Chromium, and a table per phase.

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const FIXTURE = new URL('../fixtures/vitals/', import.meta.url).pathname;

let dir = '';
let summary: Summary;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-vitals-report-'));
  const events = JSON.parse(await readFile(join(FIXTURE, 'events.json'), 'utf8')) as EventsFile;
  // The load goes on 2 s past the last vital sign: the charts must still share one time axis.
  const samples = await writeTemp(dir, 'samples.json', k6JsonRun(steady(0, 15_000, 100), [], Date.parse(events.t0)));
  ({ summary } = await analyzeRun({ samplesFile: samples, events, vitalsFile: join(FIXTURE, 'vitals.json') }));
  await writeReports(summary, dir);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('report.md has a table per watched process with a row per phase', async () => {
  const md = await readFile(join(dir, 'report.md'), 'utf8');
  assert.match(md, /## Vital signs\n\n### store\n\n\| phase \| CPU mean \| CPU max \| RSS mean \| RSS max \| down \| samples \|/);
  const table = md.slice(md.indexOf('### store'), md.indexOf('## Transitions')).split('\n').filter((l) => l.startsWith('| ')).slice(2);
  assert.deepEqual(table.map((r) => r.split(' | ')[0]!.slice(2)), ['baseline', 'fault-1', 'recovery-1', 'fault-2', 'recovery-2', 'whole run']);
  assert.match(md, /\| fault-2 \| - \| - \| \d+\.\d MiB \| \d+\.\d MiB \| 2 s \| 3 \|/, 'no CPU share (gone, then just found again), 2 s down');
  assert.match(md, /\| baseline \| \d\.\d\d cores \| \d\.\d\d cores \| \d+\.\d MiB \|/);
});

// Runs in the page: for each chart, the runs of fault shading and of the grey "down" band
// along one row of its plot area, in seconds on its x axis (every chart spans [0, X_MAX] s).
// The canvas is transparent: a band's pixels keep its colour with its alpha; where the grey
// band lies over a fault's shading the two blend. Runs split by a grid line are joined.
const bandsScript = (xMaxS: number) => `[...document.querySelectorAll('.chart')].map((chart) => {
  const c = chart.querySelector('canvas');
  const box = c.getBoundingClientRect();
  const over = chart.querySelector('.u-over').getBoundingClientRect();
  const ratio = c.width / box.width;
  const left = Math.round((over.left - box.left) * ratio), width = Math.round(over.width * ratio);
  const y = Math.round((over.top - box.top + over.height * 0.7) * ratio);
  const row = c.getContext('2d').getImageData(left, y, width, 1).data;
  const near = (i, [r, g, b, a]) => Math.abs(row[i] - r) < 14 && Math.abs(row[i + 1] - g) < 14 && Math.abs(row[i + 2] - b) < 14 && Math.abs(row[i + 3] - a) < 14;
  const FAULT = [220, 53, 69, 33], DOWN = [93, 109, 126, 56], BOTH = [133, 91, 108, 82];
  const kinds = { fault: [FAULT, BOTH], down: [DOWN, BOTH] };
  const runs = { fault: [], down: [] };
  for (let x = 0; x < width; x++) {
    for (const [kind, colours] of Object.entries(kinds)) {
      if (!colours.some((colour) => near(x * 4, colour))) continue;
      const s = (x / width) * ${xMaxS}, last = runs[kind][runs[kind].length - 1];
      if (last && s - last[1] < 10 * ${xMaxS} / width) last[1] = s; else runs[kind].push([s, s]);
    }
  }
  return { id: chart.id, runs };
})`;

const close = (got: number[][], want: number[][], what: string) => {
  assert.equal(got.length, want.length, `${what}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
  got.forEach(([a, b], i) => assert.ok(Math.abs(a! - want[i]![0]!) < 0.15 && Math.abs(b! - want[i]![1]!) < 0.15, `${what}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`));
};

test('report.html draws a CPU and memory chart per watched process under the latency chart, faults shaded', { skip: NO_CHROMIUM, timeout: 60_000 }, async () => {
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  assert.ok(html.indexOf('id="chart-latency"') < html.indexOf('id="chart-vitals-0"') && html.indexOf('id="chart-vitals-0"') < html.indexOf('id="chart-errors"'));
  await withReportPage(async (page, errors) => {
    await page.goto(`file://${join(dir, 'report.html')}`);
    await page.waitForSelector('#chart-errors canvas');
    const xMaxS = Math.max(summary.series.at(-1)!.tMs, summary.vitals![0]!.series.at(-1)!.tMs) / 1000;
    assert.equal(xMaxS, 14);
    const charts = (await page.evaluate(bandsScript(xMaxS))) as { id: string; runs: { fault: number[][]; down: number[][] } }[];
    assert.deepEqual(charts.map((c) => c.id), ['chart-latency', 'chart-vitals-0', 'chart-errors']);
    // The fault phases, shaded at the same seconds on the latency chart and the process's chart.
    const faults = summary.phases.filter((p) => p.kind === 'fault').map((p) => [p.startMs / 1000, p.endMs / 1000]);
    close(charts[0]!.runs.fault, faults, 'latency chart faults');
    close(charts[1]!.runs.fault, faults, 'vitals chart faults');
    // The seconds the samples that did not find the restarted process measured (7-8 s and 8-9 s), grey.
    close(charts[1]!.runs.down, [[7, 9]], 'vitals chart down');
    assert.deepEqual(charts[0]!.runs.down, []);
    // Its CPU and RSS lines are drawn.
    const inked = (await page.evaluate(`(() => { const c = document.querySelector('#chart-vitals-0 canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let cpu = 0, rss = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] === 17 && d[i + 1] === 120 && d[i + 2] === 100) cpu++; if (d[i] === 108 && d[i + 1] === 52 && d[i + 2] === 131) rss++; } return { cpu, rss }; })()`)) as { cpu: number; rss: number };
    assert.ok(inked.cpu > 300 && inked.rss > 300, `CPU line ${inked.cpu} px, RSS line ${inked.rss} px`);
    assert.deepEqual(errors, []);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.locator('#chart-vitals-0').screenshot({ path: join(ARTIFACTS, 'report-vitals.png') });
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { analyzeRun, mergeStates, summarize } from '../../lib/analysis/index.ts';
import type { EventsFile } from '../../lib/timeline/events.ts';
import { k6JsonRun, steady, tempDir, writeTemp } from './synthetic.ts';

// vitals.json beside the samples: recorded by the real sampler (test/fixtures/vitals/record.ts)
// watching a process that spins, is paused (2.5-5.5 s), spins again, is killed (7.5 s) and
// started anew (9.2 s) to take 64 MiB. Summarised per phase, kept out of the request
// figures, and mergeable as the rest of the analysis state is.

const FIXTURE = new URL('../fixtures/vitals/', import.meta.url).pathname;
const VITALS = join(FIXTURE, 'vitals.json');
const MiB = 2 ** 20;

async function recorded() {
  const events = JSON.parse(await readFile(join(FIXTURE, 'events.json'), 'utf8')) as EventsFile;
  const t0 = Date.parse(events.t0);
  const dir = await tempDir();
  const requests = steady(0, 13_000, 200, (t) => ({ durationMs: 1 + (t % 5), failed: t >= 7500 && t < 9500 }));
  const samples = await writeTemp(dir, 'samples.json', k6JsonRun(requests, [], t0));
  return { events, t0, dir, requests, samples };
}

test('summary.json has the vital signs per process and per phase', async () => {
  const { events, samples } = await recorded();
  const { summary } = await analyzeRun({ samplesFile: samples, events, vitalsFile: VITALS });
  assert.equal(summary.vitals?.length, 1);
  const store = summary.vitals[0]!;
  assert.equal(store.process, 'store');
  assert.deepEqual(store.phases.map((p) => p.phase), summary.phases.map((p) => p.name));
  assert.deepEqual(store.phases.map((p) => p.phase), ['baseline', 'fault-1', 'recovery-1', 'fault-2', 'recovery-2']);
  const [baseline, paused, resumed, restarting, restarted] = store.phases as [typeof store.phases[0], typeof store.phases[0], typeof store.phases[0], typeof store.phases[0], typeof store.phases[0]];
  // Spinning: near one core. Paused: only the sample whose second held the SIGSTOP is above 0.
  assert.ok(baseline.cpuCoresMean! > 0.7 && baseline.cpuCoresMax! <= 1.05, JSON.stringify(baseline));
  assert.ok(paused.cpuCoresMean! < baseline.cpuCoresMean! / 2, JSON.stringify(paused));
  assert.ok(resumed.cpuCoresMax! > 0.7, JSON.stringify(resumed));
  // Killed at 7.5 s, back at 9.2 s: the samples at 8 s and 9 s found nothing; the one at
  // 10 s found the new process, whose CPU share needs a second sample.
  assert.deepEqual(store.phases.map((p) => p.downSeconds), [0, 0, 0, 2, 0]);
  assert.equal(restarting.cpuCoresMean, null, 'no CPU point while it was gone');
  assert.equal(restarting.samples, 3);
  assert.equal(store.overall.downSeconds, 2);
  // The new process took 64 MiB more than the first one ever had.
  assert.ok(restarted.rssBytesMax! - baseline.rssBytesMax! > 60 * MiB, `${(restarted.rssBytesMax! / MiB).toFixed(1)} vs ${(baseline.rssBytesMax! / MiB).toFixed(1)} MiB`);
  assert.ok(restarting.rssBytesMax! < restarted.rssBytesMax! - 60 * MiB, 'the new process\'s first sample was before its allocation');
  assert.equal(store.overall.samples, store.phases.reduce((n, p) => n + p.samples, 0));
  // One point a second, for the chart, each in the second it measured: a gap (null) while it was gone.
  assert.deepEqual(store.series.map((p) => p.tMs), Array.from({ length: 13 }, (_, k) => k * 1000));
  assert.deepEqual(store.series.map((p) => p.up), [1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual(store.series.map((p) => p.rssBytes === null), store.series.map((p) => p.up === 0));
});

test('vital signs stay out of the request figures', async () => {
  const { events, samples, requests } = await recorded();
  const without = (await analyzeRun({ samplesFile: samples, events })).summary;
  const withVitals = (await analyzeRun({ samplesFile: samples, events, vitalsFile: VITALS })).summary;
  assert.deepEqual(without.vitals, []);
  assert.equal(withVitals.load.requests, requests.length);
  const figures = (s: typeof without) => ({ overall: s.overall, phases: s.phases, series: s.series, transitions: s.transitions, load: s.load, warnings: s.warnings });
  assert.deepEqual(figures(withVitals), figures(without));
  // Its lines mixed into the samples themselves (as a k6 output with these metrics would have them), or read alone as samples: no request, no drop.
  const { dir } = await recorded();
  const vitalsLines = (await readFile(VITALS, 'utf8')).trimEnd().split('\n');
  const samplesLines = (await readFile(samples, 'utf8')).trimEnd().split('\n');
  const mixed = await writeTemp(dir, 'mixed.json', `${samplesLines.flatMap((line, i) => (i % 1000 === 0 && vitalsLines[i / 1000] ? [vitalsLines[i / 1000]!, line] : [line])).join('\n')}\n`);
  assert.deepEqual(figures((await analyzeRun({ samplesFile: mixed, events })).summary), figures(without));
  const alone = (await analyzeRun({ samplesFile: VITALS, events })).summary;
  assert.deepEqual([alone.load.requests, alone.load.dropped], [0, 0]);
});

test('two halves of a run, each with its part of vitals.json, merge into the whole run\'s vitals', async () => {
  const { events, t0, dir, requests, samples } = await recorded();
  const whole = (await analyzeRun({ samplesFile: samples, events, vitalsFile: VITALS })).summary;
  const lines = (await readFile(VITALS, 'utf8')).trimEnd().split('\n');
  const declarations = lines.filter((l) => l.includes('"type":"Metric"'));
  const points = lines.filter((l) => l.includes('"type":"Point"'));
  const cut = Math.floor(points.length / 2);
  const part = async (name: string, rows: string[], samplesOf: typeof requests) => {
    const vitalsFile = await writeTemp(dir, `${name}.vitals.json`, `${[...declarations, ...rows].join('\n')}\n`);
    const samplesFile = await writeTemp(dir, `${name}.json`, k6JsonRun(samplesOf, [], t0));
    return (await analyzeRun({ samplesFile, events, vitalsFile })).state;
  };
  const merged = mergeStates(
    await part('a', points.slice(0, cut), requests.filter((_, i) => i % 2 === 0)),
    await part('b', points.slice(cut), requests.filter((_, i) => i % 2 === 1)),
  );
  assert.deepEqual(summarize(merged).vitals, whole.vitals);
});

test('a vitals.json cut mid-line (a killed run) is read up to the cut; a corrupt line is a warning', async () => {
  const { events, dir, samples } = await recorded();
  const text = await readFile(VITALS, 'utf8');
  const cut = await writeTemp(dir, 'cut.json', text.slice(0, text.lastIndexOf('{"metric"') + 30));
  const summary = (await analyzeRun({ samplesFile: samples, events, vitalsFile: cut })).summary;
  const whole = (await analyzeRun({ samplesFile: samples, events, vitalsFile: VITALS })).summary;
  assert.ok(!summary.warnings.some((w) => w.includes('cut.json')), summary.warnings.join('\n'));
  assert.equal(summary.vitals?.[0]?.overall.samples, whole.vitals![0]!.overall.samples - 1, 'the last sample\'s up point was cut off');
  const corrupt = await writeTemp(dir, 'corrupt.json', text.replace('"value":0,', '"value":0,,'));
  const warned = (await analyzeRun({ samplesFile: samples, events, vitalsFile: corrupt })).summary.warnings;
  assert.ok(warned.some((w) => /corrupt\.json: skipped 1 unreadable line\(s\) \(line \d+: corrupt JSON\)/.test(w)), warned.join('\n'));
});

test('a summary with vital signs validates against summary.schema.json', async () => {
  const { events, samples } = await recorded();
  const { summary } = await analyzeRun({ samplesFile: samples, events, vitalsFile: VITALS });
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile(JSON.parse(await readFile(new URL('../../lib/analysis/summary.schema.json', import.meta.url), 'utf8')));
  const doc = JSON.parse(JSON.stringify(summary)) as Record<string, unknown>;
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
  const broken = structuredClone(doc) as { vitals: Array<{ phases: Array<Record<string, unknown>> }> };
  broken.vitals[0]!.phases[0]!.cpuCoresMean = -1;
  assert.equal(validate(broken), false, 'a negative CPU share is refused');
});

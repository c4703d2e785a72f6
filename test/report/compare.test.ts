import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Summary } from '../../lib/analysis/summary.ts';
import { InvalidInputError } from '../../lib/errors.ts';
import { compareRuns, DEFAULT_TOLERANCES, parseTolerances, toComparableRun, type Comparison } from '../../lib/report/index.ts';
import { makeRun } from './fixture.ts';

// compare's verdicts on hand-built runs: another night of the same build, a slower and
// flakier build, a change within tolerance, a change beyond tolerance but within noise.

const run = (s: Summary) => toComparableRun(JSON.parse(JSON.stringify(s)), 'test');
const baseline = run(makeRun({ seed: 1 }));
const verdicts = (c: Comparison) => Object.fromEntries(c.rows.map((r) => [r.measure, r.verdict]));
const row = (c: Comparison, measure: string) => {
  const found = c.rows.find((r) => r.measure === measure);
  assert.ok(found, `${measure} was compared`);
  return found;
};

// What compare holds the fixture's run against its baseline: five overall measures, an error
// rate and a settle time per transition (the store's down: on, then off), a p99 and an error
// rate per phase. A comparison that compared nothing must not pass for "no regressions".
const MEASURES = [
  'overall p50', 'overall p95', 'overall p99', 'overall error rate', 'achieved rate',
  'transition on store:down #1 error rate', 'transition on store:down #1 settle time',
  'transition off store:down #1 error rate', 'transition off store:down #1 settle time',
  'phase baseline p99', 'phase baseline error rate', 'phase fault-1 p99', 'phase fault-1 error rate',
  'phase recovery-1 p99', 'phase recovery-1 error rate',
];

/** Every measure compared, each with a figure on both sides. */
function assertComparedAll(c: Comparison, why: string): void {
  assert.deepEqual(c.rows.map((r) => r.measure), MEASURES, why);
  for (const r of c.rows) assert.ok(typeof r.baseline === 'number' && typeof r.now === 'number', `${why}: ${r.measure} has both figures`);
}

test('another night of the same build (only the noise differs) is no regression', () => {
  for (let seed = 2; seed <= 12; seed++) {
    const c = compareRuns(run(makeRun({ seed })), baseline);
    assertComparedAll(c, `seed ${seed}`);
    assert.deepEqual(c.regressions, [], `seed ${seed}`);
  }
});

test('a slower, flakier build that never recovers is a regression on every affected measure', () => {
  const c = compareRuns(run(makeRun({ seed: 7, latencyFactor: 3, extraErrorRate: 0.03, settleOffMs: null })), baseline);
  assert.deepEqual(c.rows.map((r) => r.measure), MEASURES, 'slower build: every measure compared');
  const v = verdicts(c);
  for (const m of ['overall p50', 'overall p95', 'overall p99', 'overall error rate', 'phase baseline p99', 'phase fault-1 error rate', 'phase recovery-1 p99']) {
    assert.equal(v[m], 'regression', m);
    assert.ok((c.rows.find((r) => r.measure === m)?.p ?? 1) < 0.05, `${m} has a significant p`);
  }
  assert.equal(v['transition off store:down #1 settle time'], 'regression');
  assert.equal(c.rows.find((r) => r.measure === 'transition off store:down #1 settle time')?.note, 'never settled');
  assert.equal(v['transition on store:down #1 error rate'], 'regression', 'transitions: tolerance only');
  assert.equal(v['achieved rate'], 'ok');
  assert.deepEqual(c.regressions, c.rows.filter((r) => r.verdict === 'regression'), 'regressions are the rows judged so');
});

test('a settle time is judged on the tolerance alone: 500 ms (its floor) later is still ok, 1 ms more is a regression', () => {
  // The off edge settled in 1400 ms in the baseline; settle's tolerance is max(20% = 280 ms, 500 ms).
  const at = (settleOffMs: number) => compareRuns(run(makeRun({ seed: 1, settleOffMs })), baseline);
  const inside = at(1900);
  assertComparedAll(inside, 'inside tolerance');
  assert.deepEqual(row(inside, 'transition off store:down #1 settle time'), {
    measure: 'transition off store:down #1 settle time', unit: 'ms', baseline: 1400, now: 1900, verdict: 'ok', p: null });
  assert.deepEqual(inside.regressions, []);

  const beyond = at(1901);
  assertComparedAll(beyond, 'beyond tolerance');
  assert.deepEqual(beyond.regressions, [{
    measure: 'transition off store:down #1 settle time', unit: 'ms', baseline: 1400, now: 1901, verdict: 'regression', p: null, note: 'tolerance only' }]);
});

test("a worse p99 in one phase is a regression named by that phase, past the tolerance and the windows' noise", () => {
  const now = run(makeRun({ seed: 1 }));
  // Every second of the fault phase twice as slow at p99, the rest of the run unchanged.
  const fault = now.phases.find((p) => p.name === 'fault-1')!;
  fault.p99 = (fault.p99 ?? 0) * 2;
  for (const w of now.series) if (w.tMs >= fault.startMs && w.tMs < fault.endMs) w.p99 = (w.p99 ?? 0) * 2;
  const c = compareRuns(now, baseline);
  assertComparedAll(c, 'slower fault phase');
  assert.deepEqual(c.regressions.map((r) => r.measure), ['phase fault-1 p99']);
  const worse = row(c, 'phase fault-1 p99');
  assert.ok(worse.p !== null && worse.p < 0.05, `p ${worse.p}`);
  assert.equal(row(c, 'phase baseline p99').verdict, 'ok');
});

test('a change within tolerance is ok', () => {
  const c = compareRuns(run(makeRun({ seed: 1, latencyFactor: 1.05, extraErrorRate: 0.005, settleOnMs: 1400 })), baseline);
  assertComparedAll(c, 'within tolerance');
  assert.deepEqual(c.regressions, []);
  assert.ok(c.rows.every((r) => r.verdict === 'ok'), JSON.stringify(c.rows.filter((r) => r.verdict !== 'ok')));
  // The changes are there, each smaller than its tolerance: +5% p99, +0.5 points of errors, +300 ms settle.
  const moved = (m: string) => row(c, m).now! - row(c, m).baseline!;
  assert.ok(moved('overall p99') > 0 && moved('overall error rate') > 0.004, `${moved('overall p99')} ms, ${moved('overall error rate')}`);
  assert.equal(moved('transition on store:down #1 settle time'), 300);
});

test('beyond tolerance but not beyond the windows\' noise is "noise", which passes', () => {
  const now = run(makeRun({ seed: 1 }));
  now.overall.p99 = (now.overall.p99 ?? 0) * 1.3; // the aggregate moved; the per-second windows did not
  const c = compareRuns(now, baseline);
  const row = c.rows.find((r) => r.measure === 'overall p99');
  assert.equal(row?.verdict, 'noise');
  assert.ok((row?.p ?? 0) >= 0.05);
  assert.deepEqual(c.regressions, []);
});

test('too few windows: tolerance alone decides, and says so', () => {
  const now = run(makeRun({ seed: 1, latencyFactor: 2 }));
  now.series = now.series.slice(0, 2);
  const row = compareRuns(now, baseline).rows.find((r) => r.measure === 'overall p99');
  assert.equal(row?.verdict, 'regression');
  assert.match(row?.note ?? '', /tolerance only/);
});

test('better, missing and new measures do not fail', () => {
  const now = run(makeRun({ seed: 3, latencyFactor: 0.5 }));
  now.phases = now.phases.map((p) => (p.name === 'recovery-1' ? { ...p, name: 'recovery-a' } : p));
  const c = compareRuns(now, baseline);
  const v = verdicts(c);
  assert.equal(v['overall p99'], 'better');
  assert.equal(v['phase recovery-1 p99'], 'missing');
  assert.equal(v['phase recovery-a p99'], 'new');
  assert.deepEqual(c.regressions, []);
});

test('--tolerance overrides: % is relative, units or bare numbers set the absolute floor', () => {
  const t = parseTolerances('p99=15%, p99=2ms,errorRate=0.02,settle=1s,p50=3,rate=10%');
  assert.deepEqual(t.p99, { relative: 0.15, absolute: 2 });
  assert.deepEqual(t.errorRate, { relative: 0, absolute: 0.02 });
  assert.deepEqual(t.settle, { relative: 0.2, absolute: 1000 });
  assert.deepEqual(t.p50, { relative: 0.2, absolute: 3 });
  assert.deepEqual(t.rate, { relative: 0.1, absolute: 1 });
  assert.deepEqual(parseTolerances('errorRate=2pp').errorRate, { relative: 0, absolute: 0.02 });
  assert.deepEqual(parseTolerances(undefined), DEFAULT_TOLERANCES);
  assert.throws(() => parseTolerances('p98=10%'), InvalidInputError);
  assert.throws(() => parseTolerances('errorRate=2ms'), InvalidInputError);
  assert.throws(() => parseTolerances('p99'), InvalidInputError);
  const loose = parseTolerances('p50=100%,p95=100%,p99=100%,errorRate=0.1,settle=10s');
  const worse = run(makeRun({ seed: 7, latencyFactor: 1.5, extraErrorRate: 0.03 }));
  assert.ok(compareRuns(worse, baseline).regressions.length > 0, 'a regression under the default tolerances');
  const c = compareRuns(worse, baseline, { tolerances: loose });
  assertComparedAll(c, 'loose tolerances');
  assert.deepEqual(c.regressions, []);
});

test('inputs that are not a summary of this schema are InvalidInputError', () => {
  assert.throws(() => toComparableRun({ hello: 1 }, 'x.json'), (e: unknown) => e instanceof InvalidInputError && /not a faultline summary/.test(e.message));
  assert.throws(() => toComparableRun({ ...makeRun(), schemaVersion: 99 }, 'x.json'), (e: unknown) => e instanceof InvalidInputError && /\(schemaVersion\): got 99, expected 1/.test(e.message));
  assert.throws(() => toComparableRun({ ...makeRun(), overall: 'fast' }, 'x.json'), (e: unknown) => e instanceof InvalidInputError && /x\.json \(overall\): expected object, received string/.test(e.message));
});

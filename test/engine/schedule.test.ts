import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantArrivalRate } from '../../lib/engine/constant-arrival-rate.ts';
import { rampingArrivalRate } from '../../lib/engine/ramping-arrival-rate.ts';
import { ArrivalScheduler, type IterationStarter } from '../../lib/engine/scheduler.ts';
import { VuSlots } from '../../lib/engine/vu-slots.ts';
import type { ResolvedLoad } from '../../lib/scenario/index.ts';
import { ManualClock } from '../helpers/manual-clock.ts';

const base = { timeUnitMs: 1000, preAllocatedVUs: 2, maxVUs: 4, gracefulStopMs: 0 };
const constant = (rate: number, durationMs: number): ResolvedLoad =>
  ({ ...base, executor: 'constant-arrival-rate', startRate: rate, stages: [{ target: rate, durationMs }], durationMs });

test('constant-arrival-rate: rate x duration + 1 iterations (k6 includes the end), due at i / rate from t0', () => {
  const s = constantArrivalRate.schedule(constant(1000, 30_000));
  assert.equal(s.total, 30_001);
  assert.equal(s.dueOffsetMs(0), 0);
  assert.equal(s.dueOffsetMs(30_000), 30_000);
  const third = constantArrivalRate.schedule({ ...constant(3, 1000), timeUnitMs: 1000 });
  assert.equal(third.total, 4);
  // Not a whole number of periods: the last one before the end.
  assert.equal(constantArrivalRate.schedule(constant(3, 900)).total, 3);
  assert.ok(Math.abs(third.dueOffsetMs(2) - 666.6667) < 1e-3);
});

test('constant-arrival-rate runs one rate: a stage holding it (a longer --duration) is fine, a ramp is not', () => {
  const held = { ...constant(10, 1000), stages: [{ target: 10, durationMs: 1000 }, { target: 10, durationMs: 2000 }], durationMs: 3000 };
  assert.deepEqual(constantArrivalRate.validate(held), []);
  assert.equal(constantArrivalRate.schedule(held).total, 31);
  const ramp = { ...held, stages: [{ target: 10, durationMs: 1000 }, { target: 20, durationMs: 2000 }] };
  assert.deepEqual(constantArrivalRate.validate(ramp).map((p) => p.path), ['load.stages']);
});

test('ramping-arrival-rate: linear ramps between targets, iteration i due where the area reaches i', () => {
  // 0 -> 100/s over 2 s (100 iterations), then 100/s for 1 s (100), then 100 -> 0 over 1 s (50).
  const load: ResolvedLoad = { ...base, executor: 'ramping-arrival-rate', startRate: 0, durationMs: 4000,
    stages: [{ target: 100, durationMs: 2000 }, { target: 100, durationMs: 1000 }, { target: 0, durationMs: 1000 }] };
  const s = rampingArrivalRate.schedule(load);
  assert.equal(s.total, 250);
  const due = Array.from({ length: s.total }, (_, i) => s.dueOffsetMs(i));
  const inWindow = (from: number, to: number) => due.filter((t) => t >= from && t < to).length;
  assert.equal(inWindow(0, 1000), 25); // area of the first half of the ramp: 1/4 of 100
  assert.equal(inWindow(1000, 2000), 75);
  assert.equal(inWindow(2000, 3000), 100);
  assert.equal(inWindow(3000, 4000), 50);
  assert.ok(due.every((t, i) => i === 0 || t >= due[i - 1]!), 'due times never go back');
  assert.ok(Math.abs(due[100]! - 2000) < 1e-6, "the 100th iteration is due as the ramp ends");
});

test('scheduler: starts each iteration at its due time from t0, without drift', async () => {
  const clock = new ManualClock(1_000_000);
  const started: [number, number][] = [];
  const starter: IterationStarter = { start: (i, vu, dueMs) => { started.push([i, dueMs]); slots.release(vu); }, drop: () => assert.fail('nothing dropped') };
  const slots = new VuSlots(2, 4);
  const sched = new ArrivalScheduler(constantArrivalRate.schedule(constant(1000, 1000)), clock, slots, starter);
  sched.start(clock.now());
  await clock.advanceTo(1_000_000 + 2000);
  await sched.done;
  assert.equal(started.length, 1001);
  assert.deepEqual(started[1000], [1000, 1_000_000 + 1000]);
  assert.equal(sched.lag.maxMs, 0);
});

test('scheduler: a late wake starts the backlog at once and measures the lag; busy VUs mean drops', async () => {
  const clock = new ManualClock(0);
  const slots = new VuSlots(1, 3);
  const started: number[] = [];
  const dropped: number[] = [];
  const starter: IterationStarter = { start: (i) => started.push(i), drop: (i) => dropped.push(i) };
  const sched = new ArrivalScheduler(constantArrivalRate.schedule(constant(100, 100)), clock, slots, starter);
  // A 35 ms event-loop stall before the scheduler's first wake runs.
  clock.stallTo(35);
  sched.start(0);
  // Due at 0, 10, 20, 30 ms: all late; only 3 VUs (none released), so the 4th is dropped.
  assert.deepEqual(started, [0, 1, 2]);
  assert.deepEqual(dropped, [3]);
  assert.equal(sched.lag.maxMs, 35);
  assert.equal(slots.allocated, 3);
  await clock.advanceTo(200);
  await sched.done;
  assert.equal(started.length + dropped.length, 11);
  assert.deepEqual(dropped, [3, 4, 5, 6, 7, 8, 9, 10]);
});

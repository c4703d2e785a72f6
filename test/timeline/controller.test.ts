import { test } from 'node:test';
import assert from 'node:assert/strict';
import { down, latency, resolveScenario } from '../../lib/scenario/index.ts';
import type { ResolvedStep } from '../../lib/scenario/resolved.ts';
import { TimelineController, type FaultActions } from '../../lib/timeline/index.ts';
import { ManualClock } from '../helpers/manual-clock.ts';

function steps(timeline: unknown[]): ResolvedStep[] {
  return resolveScenario({
    name: 't', target: { baseUrl: 'http://127.0.0.1:1' },
    load: { executor: 'constant-arrival-rate', rate: 10, duration: '30s' },
    requests: [{ name: 'a', path: '/' }],
    proxies: [{ name: 'store', listen: '127.0.0.1:1', upstream: '127.0.0.1:2' }, { name: 'api', listen: '127.0.0.1:3', upstream: '127.0.0.1:4' }],
    timeline,
  }, { env: {} }).scenario.timeline;
}

/** Records calls with the clock time they were made; can be told to fail. */
class RecordingApi implements FaultActions {
  calls: string[] = [];
  failOff = 0;
  failReset = false;
  constructor(private readonly clock: ManualClock, private readonly t0: number) {}
  private log(what: string) { this.calls.push(`${this.clock.now() - this.t0} ${what}`); }
  async on(step: ResolvedStep, attributes: Record<string, number>) { this.log(`on ${step.target} ${step.fault.type} ${JSON.stringify(attributes)}`); }
  async ramp(step: ResolvedStep, attributes: Record<string, number>) { this.log(`ramp ${step.target} ${JSON.stringify(attributes)}`); }
  async off(step: ResolvedStep) {
    this.log(`off ${step.target} ${step.fault.type}`);
    if (this.failOff-- > 0) throw new Error('DELETE timed out');
  }
  async reset() { this.log('reset'); if (this.failReset) throw new Error('reset failed'); }
}

const T0 = 5_000_000;

test('steps fire at their offsets from t0, off before on at the same instant, ramps in between', async () => {
  const clock = new ManualClock(T0 - 100);
  const api = new RecordingApi(clock, T0);
  const controller = new TimelineController(steps([
    { at: '1s', for: '2s', proxy: 'store', fault: down() },
    { at: '3s', for: '2s', proxy: 'store', fault: latency({ latency: 50 }), ramp: [{ after: '1s', attributes: { latency: 200 } }] },
  ]), api, clock);
  controller.start(T0);
  await clock.advanceTo(T0 + 999);
  assert.deepEqual(api.calls, []);
  await clock.advanceTo(T0 + 10_000);
  await controller.done;
  assert.deepEqual(api.calls, [
    '1000 on store down {}',
    '3000 off store down',
    '3000 on store latency {"jitter":0,"latency":50}',
    '4000 ramp store {"latency":200}',
    '5000 off store latency',
  ]);
  assert.deepEqual(controller.events.map((e) => [e.edge, e.kind, e.scheduledMs, e.appliedMs]), [
    ['on', 'edge', 1000, 1000], ['off', 'edge', 3000, 3000], ['on', 'edge', 3000, 3000], ['on', 'ramp', 4000, 4000], ['off', 'edge', 5000, 5000],
  ]);
  assert.equal(controller.events[0]!.scheduledAt, new Date(T0 + 1000).toISOString().replace('Z', '000Z'));
});

test('stop() cancels what is pending and removes every fault that is on', async () => {
  const clock = new ManualClock(T0);
  const api = new RecordingApi(clock, T0);
  const controller = new TimelineController(steps([
    { at: '1s', for: '10s', proxy: 'store', fault: down() },
    { at: '2s', for: '10s', proxy: 'api', fault: latency({ latency: 50 }) },
    { at: '20s', for: '1s', proxy: 'api', fault: down() },
  ]), api, clock);
  controller.start(T0);
  await clock.advanceTo(T0 + 2500);
  await controller.stop();
  await clock.advanceTo(T0 + 30_000);
  assert.deepEqual(api.calls, ['1000 on store down {}', '2000 on api latency {"jitter":0,"latency":50}', '2500 off store down', '2500 off api latency']);
  assert.deepEqual(controller.events.filter((e) => e.kind === 'cleanup').map((e) => e.proxy), ['store', 'api']);
});

test('a removal that keeps failing falls back to POST /reset, and the event says so', async () => {
  const clock = new ManualClock(T0);
  const api = new RecordingApi(clock, T0);
  api.failOff = 1;
  const controller = new TimelineController(steps([{ at: '1s', for: '1s', proxy: 'store', fault: latency({ latency: 5 }) }]), api, clock);
  controller.start(T0);
  await clock.advanceTo(T0 + 3000);
  await controller.done;
  const off = controller.events.find((e) => e.edge === 'off')!;
  assert.equal(off.fallback, 'reset');
  assert.match(off.error!, /timed out/);
  assert.ok(off.appliedAt);
  assert.deepEqual(api.calls.slice(-2), ['2000 off store latency', '2000 reset']);
});

test('when even the reset fails, stop() tries the removal again', async () => {
  const clock = new ManualClock(T0);
  const api = new RecordingApi(clock, T0);
  api.failOff = 1;
  api.failReset = true;
  const controller = new TimelineController(steps([{ at: '1s', for: '1s', proxy: 'store', fault: down() }]), api, clock);
  controller.start(T0);
  await clock.advanceTo(T0 + 3000);
  api.failReset = false;
  await controller.stop();
  assert.deepEqual(api.calls, ['1000 on store down {}', '2000 off store down', '2000 reset', '3000 off store down']);
  assert.match(controller.events[1]!.error!, /POST \/reset failed too/);
  assert.ok(controller.events[2]!.appliedAt);
});

test('each call is reported as it changes: once sent, then once acknowledged or failed (with its fallback)', async () => {
  const clock = new ManualClock(T0);
  const api = new RecordingApi(clock, T0);
  api.failOff = 1;
  const reports: string[] = [];
  const controller = new TimelineController(steps([{ at: '1s', for: '1s', proxy: 'store', fault: down() }]), api, clock,
    (e, index) => reports.push(`${index} ${e.edge} applied:${e.appliedMs} error:${e.error !== undefined} fallback:${e.fallback}`));
  controller.start(T0);
  await clock.advanceTo(T0 + 3000);
  await controller.done;
  assert.deepEqual(reports, [
    '0 on applied:null error:false fallback:undefined', '0 on applied:1000 error:false fallback:undefined',
    '1 off applied:null error:false fallback:undefined', '1 off applied:2000 error:true fallback:reset',
  ]);
});

test('the real clocks never call back synchronously, even for a step due at 0 ms', async () => {
  const { spinningClock, timerClock } = await import('../../lib/clock/index.ts');
  for (const clock of [spinningClock, timerClock]) {
    let returned = false;
    let calledBeforeReturn: boolean | undefined;
    const fired = new Promise<void>((resolve) => {
      clock.at(clock.now() - 5, () => { calledBeforeReturn = !returned; resolve(); });
      returned = true;
    });
    await fired;
    assert.equal(calledBeforeReturn, false, 'the callback ran only after clock.at() returned its handle');
  }
});

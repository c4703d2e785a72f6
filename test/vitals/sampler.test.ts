import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { VitalsSampler } from '../../lib/vitals/index.ts';
import { of, readPoints, startChild, untilPoints, withSpans, type Child } from './support.ts';

// The sampler against real processes it did not start itself: CPU share and RSS read from
// /proc as they change, a paused process, and a restart under the same command-line match.

const INTERVAL_MS = 200;

async function sampling<T>(body: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-vitals-'));
  try {
    return await body(join(dir, 'vitals.json'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('CPU share: what the process used by its own count while it burns, then about 0 once it idles; RSS grows with what it allocates', async () => {
  await sampling(async (file) => {
    let child: Child | undefined;
    try {
      child = await startChild('burn-then-idle');
      const ready = await child.stage('ready');
      const sampler = new VitalsSampler({ processes: [{ name: 'burner', pid: child.pid, watch: true }], file, intervalMs: INTERVAL_MS });
      const startedAt = Date.now();
      sampler.start();
      const idle = await child.stage('idle');
      // Written as it goes: readable before stop() (a killed run keeps its samples).
      await untilPoints(file, (points) => of(points, 'cpu').filter((p) => p.atMs >= idle.atMs + 50 + INTERVAL_MS).length >= 4, '3 samples of the idle child');
      assert.deepEqual(await sampler.stop(), []);
      const { declared, points } = await readPoints(file);
      assert.deepEqual(declared, ['faultline_process_cpu', 'faultline_process_rss', 'faultline_process_up']);
      const cpu = of(points, 'cpu');
      assert.ok(cpu.every((p) => p.tags.process === 'burner' && p.tags.pid === String(child!.pid)));
      // Each point is the share over the span since the one before (the first: since start).
      const spans = withSpans(cpu, startedAt);
      const through = spans.findIndex((p) => p.atMs > idle.atMs);
      const burning = spans.slice(0, through + 1);
      const idling = spans.slice(through + 1).filter((p) => p.fromMs >= idle.atMs + 50);
      // Share x span, summed over the burn, is the CPU time the burn took by the child's own
      // count (less whatever it used before the sampler's first reading, at most that wall time).
      const measuredMs = burning.reduce((sum, p) => sum + p.value * (p.atMs - p.fromMs), 0);
      const usedMs = idle.cpuMs - ready.cpuMs;
      const unseenMs = startedAt - ready.atMs;
      const shares = `${cpu.map((p) => p.value).join(', ')} cores`;
      assert.ok(measuredMs > usedMs - unseenMs - 40 && measuredMs < usedMs + 40, `sampled ${measuredMs.toFixed(0)} ms of CPU, the child used ${usedMs.toFixed(0)} ms (${unseenMs} ms before the first reading): ${shares}`);
      assert.ok(Math.max(...burning.map((p) => p.value)) > 0.3, shares);
      assert.ok(idling.length >= 3 && idling.every((p) => p.value < 0.05), `idle: ${shares}`);
      const rss = of(points, 'rss');
      const grewBy = rss.at(-1)!.value - rss[0]!.value;
      assert.ok(grewBy > 60 * 1024 * 1024, `RSS grew by ${(grewBy / 2 ** 20).toFixed(1)} MiB (64 MiB allocated)`);
      assert.ok(of(points, 'up').every((p) => p.value === 1));
      assert.equal(sampler.samples, of(points, 'up').length, 'one up point per sample');
    } finally {
      await child?.end();
    }
  });
});

test('a paused process (SIGSTOP) uses no CPU until it is continued', async () => {
  await sampling(async (file) => {
    let child: Child | undefined;
    try {
      child = await startChild('burn');
      const sampler = new VitalsSampler({ processes: [{ name: 'spinner', pid: child.pid, watch: true }], file, intervalMs: INTERVAL_MS });
      const startedAt = Date.now();
      sampler.start();
      const since = (t: number) => (points: Parameters<typeof of>[0]) => withSpans(of(points, 'cpu'), startedAt).filter((p) => p.fromMs >= t).length;
      await untilPoints(file, (points) => since(0)(points) >= 2, '2 samples of the spinning child');
      const stoppedAt = Date.now();
      process.kill(child.pid, 'SIGSTOP');
      await untilPoints(file, (points) => since(stoppedAt + 30)(points) >= 3, '3 samples of the paused child');
      const continuedAt = Date.now();
      process.kill(child.pid, 'SIGCONT');
      await untilPoints(file, (points) => since(continuedAt + 30)(points) >= 2, '2 samples of the continued child');
      await sampler.stop();
      const { points } = await readPoints(file);
      const cpu = of(points, 'cpu');
      const within = (from: number, to: number) => withSpans(cpu, startedAt).filter((p) => p.fromMs >= from && p.atMs <= to).map((p) => p.value);
      const before = within(0, stoppedAt);
      const paused = within(stoppedAt + 30, continuedAt);
      const after = within(continuedAt + 30, Infinity);
      assert.ok(paused.length >= 3, `${paused.length} points while paused`);
      assert.deepEqual(paused, paused.map(() => 0), `paused: ${paused.join(', ')} cores`);
      assert.ok(Math.max(...before) > 0.1 && Math.max(...after) > 0.1, `spinning before ${before.join(', ')}; after ${after.join(', ')}`);
      assert.ok(of(points, 'up').every((p) => p.value === 1), 'a paused process is up');
    } finally {
      await child?.end();
    }
  });
});

test('a restarted process: up 0 while none matches, then the new pid\'s samples', async () => {
  await sampling(async (file) => {
    const token = `vitals-restart-${process.pid}-${Date.now()}`;
    const children: Child[] = [];
    try {
      const first = await startChild('idle', token);
      children.push(first);
      const sampler = new VitalsSampler({ processes: [{ name: 'store', match: token, watch: true }], file, intervalMs: INTERVAL_MS });
      sampler.start();
      await untilPoints(file, (points) => of(points, 'up').length >= 2, '2 samples of the first process');
      await first.end();
      const goneAt = Date.now();
      await untilPoints(file, (points) => of(points, 'up').filter((p) => p.value === 0).length >= 2, '2 samples without the process');
      const second = await startChild('burn', token);
      children.push(second);
      await untilPoints(file, (points) => of(points, 'cpu').filter((p) => p.tags.pid === String(second.pid)).length >= 2, '2 CPU samples of the new process');
      await sampler.stop();
      const { points } = await readPoints(file);
      const up = of(points, 'up');
      const down = up.filter((p) => p.value === 0);
      assert.ok(down.length >= 2, `${down.length} up=0 points without the process`);
      const firstNew = points.find((p) => p.tags.pid === String(second.pid))!;
      assert.ok(down.every((p) => p.atMs >= goneAt && p.atMs < firstNew.atMs && p.tags.pid === undefined), 'up=0 after the kill, before the new process');
      assert.ok(firstNew.atMs >= (await second.stage('ready')).atMs - 20, 'the new process is sampled only once it runs');
      // Nothing but up=0 is written while it is gone.
      const gap = points.filter((p) => p.atMs >= down[0]!.atMs && p.atMs <= down.at(-1)!.atMs);
      assert.deepEqual(new Set(gap.map((p) => p.metric)), new Set(['faultline_process_up']));
      const pids = (metric: string) => [...new Set(of(points, metric).map((p) => Number(p.tags.pid)))];
      assert.deepEqual(pids('rss'), [first.pid, second.pid]);
      const newCpu = of(points, 'cpu').filter((p) => p.tags.pid === String(second.pid)).map((p) => p.value);
      // A new node process's helper threads (compiler, GC) add to its main thread's spinning at first: above 1 core, within the machine's.
      assert.ok(newCpu.length >= 2 && Math.max(...newCpu) > 0.1 && Math.max(...newCpu) <= availableParallelism() + 0.05, `the new process's CPU: ${newCpu.join(', ')}`);
      const upAgain = up.filter((p) => p.atMs > down.at(-1)!.atMs);
      assert.ok(upAgain.length >= 3 && upAgain.every((p) => p.value === 1 && p.tags.pid === String(second.pid)), JSON.stringify(upAgain));
    } finally {
      for (const child of children) await child.end();
    }
  });
});

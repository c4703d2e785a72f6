import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessFaults, UndoFile, readRssBytes, readStat, selectProcess, TICKS_PER_SECOND, type UndoRecord } from '../../lib/processes/index.ts';
import type { ResolvedProcess, ResolvedStep } from '../../lib/scenario/index.ts';
import { command, cpuStress, memoryStress, pause, restart } from '../../lib/scenario/index.ts';
import { startMarkedProcess, stateOf, tempStateDir } from './support.ts';

// ProcessFaults on real processes: each fault is applied, what undoes it is on disk while it
// is on, and `off` (or `undoAll`, a stopped run) undoes it.

const step = (index: number, fault: ResolvedStep['fault'], target = 'dep', untilMs = 2000): ResolvedStep => ({
  index, atMs: 0, untilMs, targetKind: fault.type === 'pause' || fault.type === 'restart' ? 'process' : 'host', target, fault, toxicity: 1, stream: 'downstream', ramp: [],
});

async function setup(processes: ResolvedProcess[] = []) {
  const dir = await tempStateDir();
  const undoPath = join(dir, 'undo-1-test.json');
  const faults = new ProcessFaults({ processes, undoFile: new UndoFile(undoPath, process.pid, 0), commandLog: join(dir, 'commands.log'), cwd: dir });
  const owed = () => (existsSync(undoPath) ? (JSON.parse(readFileSync(undoPath, 'utf8')) as UndoRecord).undos : {});
  return { dir, faults, owed, log: () => readFileSync(join(dir, 'commands.log'), 'utf8') };
}

test('pause stops the process with SIGSTOP, owing a SIGCONT on disk; off continues it', async () => {
  const p = await startMarkedProcess();
  const s = await setup([{ name: 'dep', match: p.mark, watch: true }]);
  try {
    const detail = await s.faults.on(step(0, pause()));
    assert.equal(detail.pid, p.pid);
    assert.equal(await stateOf(p.pid), 'T');
    assert.deepEqual(Object.values(s.owed()).map((u) => [u.kind, 'pid' in u ? u.pid : 0]), [['continue', p.pid]]);
    await s.faults.off(step(0, pause()));
    assert.notEqual(await stateOf(p.pid), 'T');
    assert.deepEqual(s.owed(), {});
  } finally {
    await p.stop();
  }
});

test('a stopped run (undoAll) continues a paused process and ends stress workers', async () => {
  const p = await startMarkedProcess();
  const s = await setup([{ name: 'dep', match: p.mark, watch: true }]);
  try {
    await s.faults.on(step(0, pause()));
    const stress = await s.faults.on(step(1, cpuStress({ cores: 1 })));
    assert.equal(stress.workers?.length, 1);
    const done = await s.faults.undoAll();
    assert.equal(done.length, 2, done.join('\n'));
    assert.notEqual(await stateOf(p.pid), 'T');
    assert.equal(await stateOf(stress.workers![0]!), null, 'the stress worker is gone');
    assert.deepEqual(s.owed(), {});
  } finally {
    await p.stop();
  }
});

test('restart stops the process (SIGTERM) and its start command, run at the end, brings a new one', async () => {
  const p = await startMarkedProcess();
  const s = await setup([{ name: 'dep', match: p.mark, watch: true }]);
  const start = `${process.execPath} -e "setInterval(() => {}, 1000)" ${p.mark} & echo started`;
  const fault = restart({ start, timeout: '5s' });
  try {
    const on = await s.faults.on(step(0, fault));
    assert.equal(on.pid, p.pid);
    assert.equal(on.killed, false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok('problem' in (await selectProcess({ match: p.mark })), 'nothing runs while the step is on');
    assert.deepEqual(Object.values(s.owed()).map((u) => u.kind), ['command'], 'the start is owed');
    const off = await s.faults.off(step(0, fault));
    assert.equal(off.exitCode, 0);
    const again = await selectProcess({ match: p.mark });
    assert.ok('found' in again, JSON.stringify(again));
    assert.notEqual(again.found.pid, p.pid);
    assert.match(s.log(), /started/);
    process.kill(again.found.pid, 'SIGKILL');
  } finally {
    await p.stop();
  }
});

test('a command that fails or outlives its timeout throws, naming the command and how it ended', async () => {
  const s = await setup();
  await assert.rejects(s.faults.on(step(0, command({ start: 'echo nope >&2; exit 7' }))), /`echo nope >&2; exit 7` exited with 7/);
  assert.match(s.log(), /nope/);
  const startedAt = performance.now();
  await assert.rejects(s.faults.on(step(1, command({ start: 'sleep 5', timeout: '200ms' }))), /`sleep 5` timed out after 200 ms \(killed\)/);
  assert.ok(performance.now() - startedAt < 2000);
  const ok = await s.faults.on(step(2, command({ start: 'true', end: 'echo bye' })));
  assert.equal(ok.exitCode, 0);
  assert.deepEqual(Object.values(s.owed()).map((u) => u.kind), ['command']);
  assert.equal((await s.faults.off(step(2, command({ start: 'true', end: 'echo bye' })))).exitCode, 0);
  assert.match(s.log(), /bye/);
});

test('cpuStress takes the stated share of cores: 0.5 core measured at 0.2-0.8 over a second (1 or 0 when broken)', async () => {
  const s = await setup();
  const on = await s.faults.on(step(0, cpuStress({ cores: 0.5 })));
  try {
    const pid = on.workers![0]!;
    const before = (await readStat(pid))!.cpuTicks;
    const startedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cores = ((await readStat(pid))!.cpuTicks - before) / TICKS_PER_SECOND / ((performance.now() - startedAt) / 1000);
    assert.ok(cores > 0.2 && cores < 0.8, `measured ${cores.toFixed(2)} cores`);
  } finally {
    await s.faults.off(step(0, cpuStress({ cores: 0.5 })));
  }
  assert.equal(await stateOf(on.workers![0]!), null);
});

test('memoryStress holds the stated memory resident while on (applied once it is), and gives it back at the end', async () => {
  const s = await setup();
  const fault = memoryStress({ mb: 128 });
  const on = await s.faults.on(step(0, fault));
  const pid = on.workers![0]!;
  try {
    const rssMb = (await readRssBytes(pid))! / 1024 / 1024;
    assert.ok(rssMb >= 128 && rssMb < 128 + 100, `the worker holds ${rssMb.toFixed(0)} MiB resident`);
    assert.deepEqual(Object.values(s.owed()).map((u) => u.kind), ['end']);
  } finally {
    await s.faults.off(step(0, fault));
  }
  assert.equal(await stateOf(pid), null, 'the worker is gone');
  assert.deepEqual(s.owed(), {});
});

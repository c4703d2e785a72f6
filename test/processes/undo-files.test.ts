import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finishUndoFiles, readStat, UndoFile } from '../../lib/processes/index.ts';
import { startMarkedProcess, stateOf, tempStateDir } from './support.ts';

// What `faultline reset` (and a run whose timeline thread died) does with undo files: the
// undos of runs that are gone are carried out and their files removed; a running run's are
// left to it; a file whose undo fails is kept for the next reset.

async function withStateDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await tempStateDir();
  process.env.FAULTLINE_STATE_DIR = dir;
  try {
    return await body(dir);
  } finally {
    delete process.env.FAULTLINE_STATE_DIR;
  }
}

test('a gone run\'s undos are carried out and its file removed; a running run\'s are left to it', () => withStateDir(async (dir) => {
  const paused = await startMarkedProcess();
  try {
    const s = (await readStat(paused.pid))!;
    process.kill(paused.pid, 'SIGSTOP');
    // A run that is gone: pid 1's start time is not 0, so "pid 1, start 0" names no living process.
    new UndoFile(join(dir, 'undo-1-gone.json'), 1, 0).add('0', { kind: 'continue', what: 'step 0 (pause on dep)', pid: paused.pid, startTicks: s.startTicks });
    const self = (await readStat(process.pid))!;
    new UndoFile(join(dir, `undo-${process.pid}-mine.json`), process.pid, self.startTicks).add('0', { kind: 'command', what: 'step 0', command: 'true', cwd: dir, timeoutMs: 1000 });
    const result = await finishUndoFiles('ignore');
    assert.deepEqual(result.done, [`step 0 (pause on dep): SIGCONT sent to pid ${paused.pid}`]);
    assert.deepEqual(result.running, [process.pid]);
    assert.notEqual(await stateOf(paused.pid), 'T');
    assert.deepEqual(readdirSync(dir), [`undo-${process.pid}-mine.json`]);
  } finally {
    await paused.stop();
  }
}));

test('a failing undo keeps its file and says so; the same file is finished once it can be', () => withStateDir(async (dir) => {
  const file = join(dir, 'undo-1-failing.json');
  new UndoFile(file, 1, 0).add('3', { kind: 'command', what: 'step 3 (restart on store)', command: `test -e ${join(dir, 'ready')}`, cwd: dir, timeoutMs: 1000 });
  const first = await finishUndoFiles('ignore');
  assert.equal(first.failed.length, 2, first.failed.join('\n'));
  assert.match(first.failed[0]!, /step 3 \(restart on store\): `test -e .*` exited with 1/);
  assert.match(first.failed[1]!, /kept .*undo-1-failing\.json/);
  assert.ok(existsSync(file));
  writeFileSync(join(dir, 'ready'), '');
  const second = await finishUndoFiles('ignore');
  assert.deepEqual(second.failed, []);
  assert.equal(second.done.length, 1);
  assert.ok(!existsSync(file));
}));

test('a run whose timeline thread died finishes its own file at once, though its process is alive', () => withStateDir(async (dir) => {
  const self = (await readStat(process.pid))!;
  const mine = join(dir, `undo-${process.pid}-mine.json`);
  const other = join(dir, `undo-${process.pid}-other.json`);
  new UndoFile(mine, process.pid, self.startTicks).add('1', { kind: 'command', what: 'step 1', command: `touch ${join(dir, 'done')}`, cwd: dir, timeoutMs: 1000 });
  new UndoFile(other, process.pid, self.startTicks).add('1', { kind: 'command', what: 'step 1', command: 'true', cwd: dir, timeoutMs: 1000 });
  const result = await finishUndoFiles('ignore', mine);
  assert.deepEqual(result.failed, []);
  assert.ok(existsSync(join(dir, 'done')), 'its owed command ran');
  assert.ok(!existsSync(mine) && existsSync(other), 'only the file named was finished');
}));

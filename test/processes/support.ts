import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStat } from '../../lib/processes/index.ts';

/**
 * A real idle process with a mark of its own on its command line (so a `match` finds it and
 * nothing else), ended by `stop()`; continued first, should a test leave it paused.
 */
export async function startMarkedProcess(mark = `faultline-test-${randomUUID()}`): Promise<{ child: ChildProcess; pid: number; mark: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', mark], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => { child.once('spawn', resolve); child.once('error', reject); });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  };
  return { child, pid: child.pid!, mark, stop };
}

/** The process's state letter (T: stopped), or null once it is gone. */
export const stateOf = async (pid: number) => (await readStat(pid))?.state ?? null;

/** A state folder of the test's own, so no other test's `faultline reset` finishes its undos. */
export const tempStateDir = () => mkdtemp(join(tmpdir(), 'faultline-state-'));

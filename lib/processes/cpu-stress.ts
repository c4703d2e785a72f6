import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readStat } from './proc.ts';

/** Spare seconds a worker lives past its step, should the end of the step never come. */
const DEADLINE_MARGIN_MS = 2000;

export interface StressWorkers {
  processes: { pid: number; startTicks: number }[];
  children: ChildProcess[];
}

/** Checks a cpuStress size against this machine: more cores than it has cannot be taken. */
export function cpuStressProblem(cores: number): string | null {
  const have = availableParallelism();
  return cores > have ? `at most this machine's ${have} cores` : null;
}

/**
 * Starts ceil(cores) busy workers, each spinning for cores/ceil(cores) of its time, that
 * stop by themselves after `forMs` (plus a margin) or when this process goes.
 */
export async function startCpuStress(cores: number, forMs: number): Promise<StressWorkers> {
  const count = Math.ceil(cores);
  const share = cores / count;
  const deadline = Date.now() + forMs + DEADLINE_MARGIN_MS;
  const script = new URL('./cpu-burner.js', import.meta.url).pathname;
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [script, String(share), String(deadline)], { stdio: ['pipe', 'ignore', 'ignore'] }));
  const started = children.map((child) => new Promise<void>((resolve, reject) => { child.once('spawn', resolve); child.once('error', reject); }));
  try {
    await Promise.all(started);
  } catch (error) {
    await stopCpuStress({ processes: [], children });
    throw error;
  }
  const stats = await Promise.all(children.map((child) => readStat(child.pid!)));
  const processes = stats.flatMap((s) => (s ? [{ pid: s.pid, startTicks: s.startTicks }] : []));
  return { processes, children };
}

/** Ends the workers and waits until each has exited. */
export async function stopCpuStress(workers: StressWorkers): Promise<void> {
  await Promise.all(workers.children.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  })));
}

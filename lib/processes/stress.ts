import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism, freemem } from 'node:os';
import type { ResolvedStep } from '../scenario/resolved.ts';
import { readStat } from './proc.ts';

// The stress steps' workers: busy ones for cpuStress, one that holds memory for memoryStress.
// Each is bounded in count and size by the machine, and in time by its own deadline and by
// this process (its stdin closes when this process goes).

/** Spare seconds a worker lives past its step, should the end of the step never come. */
const DEADLINE_MARGIN_MS = 2000;

export interface StressWorkers {
  processes: { pid: number; startTicks: number }[];
  children: ChildProcess[];
}

/**
 * Checks a stress step's size against this machine, in words for `expected`: a cpuStress
 * takes at most the cores it has, a memoryStress at most 80% of the memory available now.
 */
export function stressProblem(step: Pick<ResolvedStep, 'fault'>): string | null {
  const { type, attributes } = step.fault;
  if (type === 'cpu_stress') {
    const have = availableParallelism();
    return attributes.cores! > have ? `cores: at most this machine's ${have} (got ${attributes.cores})` : null;
  }
  if (type === 'memory_stress') {
    const availableMb = Math.floor(freemem() / 1024 / 1024);
    return attributes.mb! > availableMb * 0.8 ? `mb: at most 80% of the ${availableMb} MiB this machine has available (got ${attributes.mb})` : null;
  }
  return null;
}

/**
 * Starts ceil(cores) busy workers, each spinning for cores/ceil(cores) of its time, that
 * stop by themselves after `forMs` (plus a margin) or when this process goes.
 */
export async function startCpuStress(cores: number, forMs: number): Promise<StressWorkers> {
  const count = Math.ceil(cores);
  return startWorkers('cpu-burner.js', count, [String(cores / count)], forMs);
}

/** Starts one worker that holds `mb` MiB resident; resolves once it is all touched (it said "ready"). */
export async function startMemoryStress(mb: number, forMs: number): Promise<StressWorkers> {
  const workers = await startWorkers('memory-hog.js', 1, [String(mb)], forMs, 'pipe');
  const child = workers.children[0]!;
  const ready = await new Promise<boolean>((resolve) => {
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => { seen += d; if (seen.includes('ready')) resolve(true); });
    child.once('exit', () => resolve(false));
  });
  if (!ready) throw new Error(`the memory worker ended before holding ${mb} MiB (exit ${child.exitCode ?? child.signalCode})`);
  return workers;
}

async function startWorkers(script: string, count: number, args: string[], forMs: number, stdout: 'pipe' | 'ignore' = 'ignore'): Promise<StressWorkers> {
  const deadline = Date.now() + forMs + DEADLINE_MARGIN_MS;
  const path = new URL(`./${script}`, import.meta.url).pathname;
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [path, ...args, String(deadline)], { stdio: ['pipe', stdout, 'ignore'] }));
  const started = children.map((child) => new Promise<void>((resolve, reject) => { child.once('spawn', resolve); child.once('error', reject); }));
  try {
    await Promise.all(started);
  } catch (error) {
    await stopStress({ processes: [], children });
    throw error;
  }
  const stats = await Promise.all(children.map((child) => readStat(child.pid!)));
  const processes = stats.flatMap((s) => (s ? [{ pid: s.pid, startTicks: s.startTicks }] : []));
  return { processes, children };
}

/** Ends the workers and waits until each has exited. */
export async function stopStress(workers: StressWorkers): Promise<void> {
  await Promise.all(workers.children.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  })));
}

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startProcess, type RunningProcess } from '../helpers/run-process.ts';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export interface Child {
  running: RunningProcess;
  pid: number;
  /** When the child reached `stage` (epoch ms, by its clock: the same machine's), and the CPU ms it had used by then, by its own count. */
  stage(stage: string): Promise<{ atMs: number; cpuMs: number }>;
  /** SIGKILL, then waits for it to be gone. */
  end(): Promise<void>;
}

/** Starts test/vitals/child.js in `mode`, `token` on its command line; resolves once it runs. */
export async function startChild(mode: 'burn-then-idle' | 'burn' | 'idle' | 'serve', token = 'no-token'): Promise<Child> {
  const running = startProcess(process.execPath, [CHILD, mode, token], { timeoutMs: 60_000 });
  const stage = async (word: string) => {
    const [, atMs, cpuMs] = await running.waitFor(new RegExp(`^${word} (\\d+) ([\\d.]+)$`, 'm'));
    return { atMs: Number(atMs), cpuMs: Number(cpuMs) };
  };
  await stage('ready');
  return {
    running, pid: running.child.pid!, stage,
    end: async () => { running.kill('SIGKILL'); await running.exited; },
  };
}

export interface Point {
  metric: string;
  atMs: number;
  value: number;
  tags: Record<string, string>;
}

/** vitals.json's points, in file order; also checks every line is a k6 Metric or Point line. */
export async function readPoints(file: string): Promise<{ declared: string[]; points: Point[] }> {
  const declared: string[] = [];
  const points: Point[] = [];
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (line === '') continue;
    const doc = JSON.parse(line) as { type: string; metric: string; data: { name?: string; type?: string; time?: string; value?: number; tags?: Record<string, string> } };
    if (doc.type === 'Metric') {
      if (doc.data.type !== 'gauge' || doc.data.name !== doc.metric) throw new Error(`not a k6 gauge declaration: ${line}`);
      declared.push(doc.metric);
    } else if (doc.type === 'Point') {
      points.push({ metric: doc.metric, atMs: Date.parse(doc.data.time!), value: doc.data.value!, tags: doc.data.tags! });
    } else {
      throw new Error(`not a k6 JSON line: ${line}`);
    }
  }
  return { declared, points };
}

export const of = (points: Point[], metric: string) => points.filter((p) => p.metric === `faultline_process_${metric}`);

/** CPU points with the span each measured: since the one before it (the first: since `startedAt`). */
export const withSpans = (cpu: Point[], startedAt: number) => cpu.map((p, i) => ({ ...p, fromMs: i === 0 ? startedAt : cpu[i - 1]!.atMs }));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the points on disk satisfy `enough` (the sampler writes each sample as it is
 * taken): tests wait for samples, not for wall time, so a loaded machine only makes them slower.
 */
export async function untilPoints(file: string, enough: (points: Point[]) => boolean, what: string, timeoutMs = 20_000): Promise<Point[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { points } = await readPoints(file).catch(() => ({ points: [] as Point[] }));
    if (enough(points)) return points;
    if (Date.now() > deadline) throw new Error(`vitals.json: no ${what} in ${timeoutMs} ms (${points.length} points)`);
    await sleep(50);
  }
}

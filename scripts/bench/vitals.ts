// The vital-signs sampler's cost on the main thread: `node --import tsx scripts/bench/vitals.ts [--quick]`.
// 1. One reading of a live process (WatchedProcess.read: 3 /proc reads) and of a gone one
//    found again by a command-line match (a scan of /proc), µs of this thread's CPU each.
// 2. The sampler itself, sampling 1 and 4 live processes every 10 ms (100 times the run's
//    rate) for a few seconds: CPU µs per sample, file write and fdatasync included, and what
//    that is at the run's one sample a second; of which on the main thread (the one the load
//    engine runs on: the rest is libuv's file-system threads), from /proc/self/task/<pid>/stat.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timerClock } from '../../lib/clock/index.ts';
import { TICKS_PER_SECOND } from '../../lib/processes/index.ts';
import type { ResolvedProcess } from '../../lib/scenario/resolved.ts';
import { VitalsSampler, WatchedProcess } from '../../lib/vitals/index.ts';

const quick = process.argv.includes('--quick');
const READS = quick ? 500 : 5000;
const SAMPLING_MS = quick ? 1500 : 5000;

/** CPU ticks (user + system) of this process's main thread: the task whose id is the pid. */
async function mainThreadTicks(): Promise<number> {
  const text = await readFile(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU µs of this process (user + system) spent in `fn`, per call of `fn` over `n` calls. */
async function cpuPer(n: number, fn: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / n;
}

function idleChild(token: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)', token], { stdio: 'ignore' });
  return new Promise((resolve, reject) => { child.once('spawn', () => resolve(child)); child.once('error', reject); });
}

const children: ChildProcess[] = [];
const dir = await mkdtemp(join(tmpdir(), 'faultline-bench-vitals-'));
try {
  const token = `bench-vitals-${process.pid}`;
  for (let i = 0; i < 4; i++) children.push(await idleChild(`${token}-${i}`));
  const live: ResolvedProcess[] = children.map((_, i) => ({ name: `p${i}`, match: `${token}-${i}`, watch: true }));
  console.log(`faultline vitals sampler benchmark, node ${process.version}${quick ? ' (quick)' : ''}; ${(await readdir('/proc')).filter((n) => /^\d+$/.test(n)).length} processes on the machine`);

  const watched = new WatchedProcess(live[0]!, timerClock.now);
  await watched.read();
  const readUs = await cpuPer(READS, () => watched.read());
  const gone = new WatchedProcess({ name: 'gone', match: `${token}-nobody`, watch: true }, timerClock.now);
  const rescanUs = await cpuPer(Math.ceil(READS / 20), () => gone.read());
  console.log(`one reading of a live process: ${readUs.toFixed(0)} us CPU; of a gone one, looked for by match (/proc scanned): ${rescanUs.toFixed(0)} us`);

  for (const n of [1, 4]) {
    const sampler = new VitalsSampler({ processes: live.slice(0, n), file: join(dir, `vitals-${n}.json`), intervalMs: 10 });
    const before = process.cpuUsage();
    const mainBefore = await mainThreadTicks();
    sampler.start();
    await new Promise((resolve) => setTimeout(resolve, SAMPLING_MS));
    await sampler.stop();
    const d = process.cpuUsage(before);
    const mainUs = ((await mainThreadTicks()) - mainBefore) * (1e6 / TICKS_PER_SECOND);
    const perSample = (d.user + d.system) / sampler.samples;
    console.log(`sampler, ${n} process(es): ${sampler.samples} samples (${sampler.skipped} slots skipped), ${perSample.toFixed(0)} us CPU per sample (write + fdatasync included), ${(mainUs / sampler.samples).toFixed(0)} us of it on the main thread; at one sample a second: ${(perSample / 1e4).toFixed(3)}% of a core`);
  }
} finally {
  for (const c of children) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}

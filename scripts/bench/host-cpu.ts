// What the host did to a measurement, read from /proc (Linux): the CPU time the hypervisor
// gave to others, and this process's main-thread CPU time.
import { readFileSync } from 'node:fs';

/**
 * The share of the machine's CPU time the hypervisor gave to others ("steal" in /proc/stat)
 * since the call; NaN where there is no /proc/stat. On a shared VM it comes in bursts that
 * stall a vCPU for tens of ms: read every figure beside it.
 */
export function stealSince(): () => number {
  const read = () => { try { return readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number); } catch { return null; } };
  const before = read();
  return () => {
    const after = read();
    if (!before || !after) return Number.NaN;
    const d = after.map((v, i) => v - before[i]!);
    return d[7]! / d.reduce((a, b) => a + b, 0);
  };
}

/** CPU time of this process's main thread (ms), from /proc; NaN elsewhere. */
export function mainThreadCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime in USER_HZ (100)
  } catch {
    return Number.NaN;
  }
}

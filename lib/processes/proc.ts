import { readdir, readFile, stat } from 'node:fs/promises';

// What Linux's /proc says of a process: the one source for choosing a process to fault and
// for its vital signs. Every reader answers null for a process that is gone (or not ours to read).

/** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on every Linux architecture Node supports. */
export const TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  /** R running, S sleeping, T stopped (SIGSTOP), Z zombie, ... */
  state: string;
  ppid: number;
  /** User plus system CPU time used so far, in clock ticks. */
  cpuTicks: number;
  /** When the process started, in ticks since boot: with the pid, names one process even after the pid is reused. */
  startTicks: number;
}

/** The numeric entries of /proc: every process's id. */
export async function listPids(): Promise<number[]> {
  const names = await readdir('/proc');
  return names.filter((n) => /^\d+$/.test(n)).map(Number);
}

export async function readStat(pid: number): Promise<ProcStat | null> {
  const text = await readOrNull(`/proc/${pid}/stat`);
  if (text === null) return null;
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return { pid, state: fields[0] ?? '?', ppid: field(4), cpuTicks: field(14) + field(15), startTicks: field(22) };
}

/** The command line, its arguments joined by spaces ('' for a kernel thread). */
export async function readCmdline(pid: number): Promise<string | null> {
  const text = await readOrNull(`/proc/${pid}/cmdline`);
  return text === null ? null : text.replace(/\0+$/, '').split('\0').join(' ');
}

/** Resident set size in bytes (VmRSS), or null. */
export async function readRssBytes(pid: number): Promise<number | null> {
  const text = await readOrNull(`/proc/${pid}/status`);
  const kB = text?.match(/^VmRSS:\s+(\d+) kB/m)?.[1];
  return kB === undefined ? null : Number(kB) * 1024;
}

/** The owner's user id, or null when the process is gone. */
export async function ownerUid(pid: number): Promise<number | null> {
  return stat(`/proc/${pid}`).then((s) => s.uid, () => null);
}

/** True while `pid` is the process that started at `startTicks` (not gone, not reused, not a zombie). */
export async function isSameProcess(pid: number, startTicks: number): Promise<boolean> {
  return isStatOf(await readStat(pid), startTicks);
}

/** The same test on a stat already read: the caller that needs the stat anyway reads /proc once. */
export function isStatOf(stat: ProcStat | null, startTicks: number): stat is ProcStat {
  return stat !== null && stat.startTicks === startTicks && stat.state !== 'Z';
}

async function readOrNull(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null);
}

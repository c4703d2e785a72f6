import { readFile } from 'node:fs/promises';
import { listPids, ownerUid, readCmdline, readStat, type ProcStat } from './proc.ts';

/** How a scenario names a process: exactly one of a pid, a pid file, or a command-line match. */
export interface ProcessSelector {
  pid?: number;
  pidFile?: string;
  /** A substring of the command line (arguments joined by spaces) that exactly one process has. */
  match?: string;
}

export type Selection = { found: ProcStat } | { problem: string };

/**
 * Finds the one process a selector names, among the current user's processes on this
 * machine. A match never counts this process or its ancestors (the shell that started
 * faultline has the pattern on its own command line), nor zombies.
 */
export async function selectProcess(selector: ProcessSelector): Promise<Selection> {
  if (selector.pid !== undefined) return checkOwned(selector.pid, `pid ${selector.pid}`);
  if (selector.pidFile !== undefined) {
    const text = await readFile(selector.pidFile, 'utf8').catch(() => null);
    const pid = Number(text?.trim());
    if (text === null) return { problem: `pid file ${selector.pidFile} cannot be read` };
    if (!Number.isInteger(pid) || pid <= 0) return { problem: `pid file ${selector.pidFile} holds no pid (${JSON.stringify(text.trim().slice(0, 20))})` };
    return checkOwned(pid, `pid ${pid} (from ${selector.pidFile})`);
  }
  return matchOne(selector.match ?? '');
}

/** The words for a selector in messages: `match "redis-server 127.0.0.1:6390"`. */
export function describeSelector(selector: ProcessSelector): string {
  if (selector.pid !== undefined) return `pid ${selector.pid}`;
  if (selector.pidFile !== undefined) return `pidFile ${selector.pidFile}`;
  return `match ${JSON.stringify(selector.match)}`;
}

async function checkOwned(pid: number, what: string): Promise<Selection> {
  const [s, uid] = await Promise.all([readStat(pid), ownerUid(pid)]);
  if (s === null || s.state === 'Z') return { problem: `${what} is not running` };
  if (uid !== process.getuid?.()) return { problem: `${what} belongs to another user (uid ${uid}); faultline acts only on the current user's processes` };
  return { found: s };
}

async function matchOne(pattern: string): Promise<Selection> {
  const excluded = await selfAndAncestors();
  const found: { stat: ProcStat; cmdline: string }[] = [];
  for (const pid of await listPids()) {
    if (excluded.has(pid) || (await ownerUid(pid)) !== process.getuid?.()) continue;
    const cmdline = await readCmdline(pid);
    if (!cmdline?.includes(pattern)) continue;
    const s = await readStat(pid);
    if (s && s.state !== 'Z') found.push({ stat: s, cmdline });
  }
  if (found.length === 1) return { found: found[0]!.stat };
  if (found.length === 0) return { problem: `no process of this user has ${JSON.stringify(pattern)} in its command line` };
  const listed = found.slice(0, 5).map((f) => `${f.stat.pid} (${f.cmdline.slice(0, 60)})`).join(', ');
  return { problem: `${found.length} processes match ${JSON.stringify(pattern)}: ${listed}; make the pattern name exactly one` };
}

async function selfAndAncestors(): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let pid = process.pid; pid > 1 && !pids.has(pid);) {
    pids.add(pid);
    pid = (await readStat(pid))?.ppid ?? 0;
  }
  return pids;
}

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What a run must undo on a process, written down before the fault is applied: should the
// run be killed (kill -9, power cut of the terminal), `faultline reset` reads it and finishes
// the job (SIGCONT, the restart's start command, stress workers ended). One file per run,
// named by the run's pid; written synchronously, so it is on disk before the signal goes out.

export type Undo =
  /** A paused process: SIGCONT, if it is still the process that was paused. */
  | { kind: 'continue'; what: string; pid: number; startTicks: number }
  /** Busy workers: SIGKILL each that is still the one started. */
  | { kind: 'end'; what: string; processes: { pid: number; startTicks: number }[] }
  /** A shell command still owed: a restart's start, a command step's end. */
  | { kind: 'command'; what: string; command: string; cwd: string; timeoutMs: number };

export interface UndoRecord {
  runPid: number;
  runStartTicks: number;
  /** Pending undos by step index. */
  undos: Record<string, Undo>;
}

/** `$FAULTLINE_STATE_DIR`, else a folder of this user's in the temp directory. */
export function stateDir(env: Record<string, string | undefined> = process.env): string {
  return env.FAULTLINE_STATE_DIR ?? join(tmpdir(), `faultline-${process.getuid?.() ?? 'user'}`);
}

/** A run's undo file: by pid, plus the run folder's name (tests run several runs in one process). */
export const undoFileFor = (runPid: number, runName: string, dir = stateDir()) => join(dir, `undo-${runPid}-${runName}.json`);

/** One run's pending undos, kept in step with its file (the file is removed when nothing is pending). */
export class UndoFile {
  private readonly record: UndoRecord;
  constructor(readonly path: string, runPid: number, runStartTicks: number) {
    this.record = { runPid, runStartTicks, undos: {} };
  }

  get pending(): [string, Undo][] {
    return Object.entries(this.record.undos);
  }

  get(key: string): Undo | undefined {
    return this.record.undos[key];
  }

  add(key: string, undo: Undo): void {
    this.record.undos[key] = undo;
    this.write();
  }

  remove(key: string): void {
    delete this.record.undos[key];
    this.write();
  }

  private write(): void {
    if (Object.keys(this.record.undos).length === 0) {
      rmSync(this.path, { force: true });
      return;
    }
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const partial = `${this.path}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(this.record, null, 2));
    renameSync(partial, this.path);
  }
}

export type UndoFileRead = { path: string; record: UndoRecord } | { path: string; error: string };

/** One undo file, read; null when there is none (nothing is owed). */
export function readUndoFile(path: string): UndoFileRead | null {
  try {
    return { path, record: JSON.parse(readFileSync(path, 'utf8')) as UndoRecord };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { path, error: (error as Error).message };
  }
}

/** Every undo file in the state folder, read (a file that cannot be parsed is named with its error). */
export function readUndoFiles(dir = stateDir()): UndoFileRead[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^undo-\d+-.+\.json$/.test(n));
  } catch {
    return [];
  }
  // A file removed since the listing (its run just finished) is left out.
  return names.flatMap((name) => readUndoFile(join(dir, name)) ?? []);
}

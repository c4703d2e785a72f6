import { rmSync } from 'node:fs';
import { isSameProcess } from './proc.ts';
import { checkExited, runShellCommand } from './shell-command.ts';
import { readUndoFile, readUndoFiles, type Undo } from './undo-file.ts';

/**
 * Carries out one undo: the end of a step, the cleanup of a stopped run, or `faultline reset`
 * finishing a killed run's. A process that is gone (or whose pid now names another process)
 * is left alone (`gone`). Says what it did; throws when a command failed.
 */
export async function performUndo(undo: Undo, output: number | 'inherit' | 'ignore'): Promise<{ said: string; gone?: true }> {
  if (undo.kind === 'continue') {
    if (!(await isSameProcess(undo.pid, undo.startTicks))) return { said: `${undo.what}: pid ${undo.pid} is gone, nothing to continue`, gone: true };
    process.kill(undo.pid, 'SIGCONT');
    return { said: `${undo.what}: SIGCONT sent to pid ${undo.pid}` };
  }
  if (undo.kind === 'end') {
    let ended = 0;
    for (const p of undo.processes) {
      if (!(await isSameProcess(p.pid, p.startTicks))) continue;
      process.kill(p.pid, 'SIGKILL');
      ended++;
    }
    return { said: `${undo.what}: ${ended} of ${undo.processes.length} workers were still running and were ended` };
  }
  const result = await runShellCommand(undo.command, { cwd: undo.cwd, timeoutMs: undo.timeoutMs, output });
  checkExited(undo.what, undo.command, result, undo.timeoutMs);
  return { said: `${undo.what}: ran \`${undo.command}\` (exit 0, ${Math.round(result.tookMs)} ms)` };
}

export interface FinishedUndos {
  done: string[];
  failed: string[];
  /** Runs still going: their undos are theirs to do. */
  running: number[];
}

/**
 * `faultline reset`, and a run whose timeline thread died: carries out the undos in the
 * state folder's files (only `onlyFile`'s, when given) of runs that are no longer running,
 * and removes each file whose undos all went through.
 */
export async function finishUndoFiles(output: number | 'inherit' | 'ignore', onlyFile?: string): Promise<FinishedUndos> {
  const result: FinishedUndos = { done: [], failed: [], running: [] };
  const files = onlyFile === undefined ? readUndoFiles() : [readUndoFile(onlyFile)].filter((f) => f !== null);
  for (const file of files) {
    if ('error' in file) {
      result.failed.push(`${file.path} cannot be read (${file.error}); remove it once its faults are undone by hand`);
      continue;
    }
    const { runPid, runStartTicks, undos } = file.record;
    if (onlyFile === undefined && (await isSameProcess(runPid, runStartTicks))) {
      result.running.push(runPid);
      continue;
    }
    const failedBefore = result.failed.length;
    for (const undo of Object.values(undos)) {
      try {
        result.done.push((await performUndo(undo, output)).said);
      } catch (error) {
        result.failed.push((error as Error).message);
      }
    }
    // A file with a failed undo stays, for the next reset once the cause is mended.
    if (result.failed.length === failedBefore) rmSync(file.path, { force: true });
    else result.failed.push(`kept ${file.path}: run \`faultline reset\` again once that is mended, or remove it`);
  }
  return result;
}

import { fileURLToPath } from 'node:url';
import { startProcess, type ProcessOptions, type ProcessResult, type RunningProcess } from './run-process.ts';

export const BIN = fileURLToPath(new URL('../../lib/cli/bin.js', import.meta.url));

export type CliResult = ProcessResult;

/** Starts the faultline command as a user would (a separate process); see RunningProcess. */
export function startCli(args: string[], options: ProcessOptions = {}): RunningProcess {
  return startProcess(process.execPath, [BIN, ...args], options);
}

/** Runs the faultline command to its end and collects its output. */
export function runCli(args: string[], options: ProcessOptions = {}): Promise<CliResult> {
  return startCli(args, options).exited;
}

/** The run folder `faultline run` prints as the last line of its stdout (undefined if it printed nothing). */
export function runFolder(stdout: string): string | undefined {
  return stdout.trim().split('\n').pop() || undefined;
}

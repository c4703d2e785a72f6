import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number | null;
  /** The signal that ended it (set when it was killed, e.g. on its timeout). */
  signal: string | null;
  tookMs: number;
}

/**
 * Runs a shell command (`/bin/sh -c`) and waits for it to exit, at most `timeoutMs`; on the
 * timeout its whole process group is killed and the answer says so. It runs in a process
 * group of its own, so a daemon it starts (a restarted store) outlives the run as it should.
 * `output` is where its stdout and stderr go: a file descriptor, or the caller's terminal.
 */
export function runShellCommand(command: string, options: { cwd: string; timeoutMs: number; output: number | 'inherit' | 'ignore' }): Promise<CommandResult> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: options.cwd, stdio: ['ignore', options.output, options.output], detached: true });
    const timer = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, options.timeoutMs);
    child.once('error', (error) => { clearTimeout(timer); reject(error); });
    child.once('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, tookMs: performance.now() - startedAt });
    });
  });
}

/** Throws unless the command exited with 0, naming how it ended. */
export function checkExited(what: string, command: string, result: CommandResult, timeoutMs: number): void {
  if (result.exitCode === 0) return;
  const how = result.signal === 'SIGKILL' && result.tookMs >= timeoutMs ? `timed out after ${timeoutMs} ms (killed)` : result.signal ? `was killed by ${result.signal}` : `exited with ${result.exitCode}`;
  throw new Error(`${what}: \`${command}\` ${how}`);
}

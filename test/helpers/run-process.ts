import { spawn, type ChildProcess } from 'node:child_process';

// A child process as the tests drive one: started with its output piped and collected,
// waited on for a line it prints, sent signals, and waited on for its exit. One owner ends
// it: `exited` settles on every path (exit, signal, spawn failure, `timeoutMs`).

export interface ProcessOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** SIGTERM after this many ms (default 60 s): a hung child fails its test instead of the suite. */
  timeoutMs?: number;
}

export interface ProcessResult {
  /** Exit code; null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningProcess {
  child: ChildProcess;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Settles once the process has ended and its output is closed; never rejects. */
  exited: Promise<ProcessResult>;
  /**
   * The first match of `pattern` in the output of `stream` (stdout by default), from the
   * start of the output; rejects, quoting the output, if the process ends or `timeoutMs` passes first.
   */
  waitFor(pattern: RegExp, options?: { stream?: 'stdout' | 'stderr'; timeoutMs?: number }): Promise<RegExpExecArray>;
  /** Sends `signal` (a no-op once the process has ended). */
  kill(signal: NodeJS.Signals): void;
}

/** Starts `command` with `args`; stdin is closed, stdout and stderr are collected. */
export function startProcess(command: string, args: string[], options: ProcessOptions = {}): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 60_000,
  });
  const out = { stdout: '', stderr: '' };
  let ended = false;
  const listeners = new Set<() => void>();
  const changed = () => { for (const listener of listeners) listener(); };
  child.stdout!.on('data', (d: Buffer) => { out.stdout += d; changed(); });
  child.stderr!.on('data', (d: Buffer) => { out.stderr += d; changed(); });
  const exited = new Promise<ProcessResult>((resolve) => {
    const end = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (ended) return;
      ended = true;
      if (error) out.stderr += `\n${error.message}`;
      resolve({ code, signal, ...out });
      changed();
    };
    child.once('error', (error) => end(null, null, error)); // could not start: no close follows
    child.once('close', (code, signal) => end(code, signal));
  });

  const waitFor: RunningProcess['waitFor'] = (pattern, { stream = 'stdout', timeoutMs = 15_000 } = {}) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(out[stream]);
        if (found) return finish(() => resolve(found));
        if (ended) finish(() => reject(new Error(`${describe()} ended before printing ${pattern} on ${stream}\n${quote()}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`${describe()} printed no ${pattern} on ${stream} in ${timeoutMs} ms\n${quote()}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  const describe = () => [command, ...args].join(' ');
  const quote = () => `stdout: ${out.stdout.slice(-2000)}\nstderr: ${out.stderr.slice(-2000)}`;
  return {
    child,
    get stdout() { return out.stdout; },
    get stderr() { return out.stderr; },
    exited,
    waitFor,
    kill: (signal) => { if (!ended) child.kill(signal); },
  };
}

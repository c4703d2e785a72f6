import { spawn } from 'node:child_process';
import { freeListenPort } from '../host/index.ts';
import { RunFailedError } from '../errors.ts';
import { completedRun, describeK6Exit } from './exit-codes.ts';
import { watchWindows, type K6Window } from './live-windows.ts';
import { K6RestApi } from './rest-api.ts';

export interface K6RunOptions {
  /** The k6 executable (`k6` on PATH, or `--k6 PATH`). */
  k6Path: string;
  bundleFile: string;
  /** k6 `--out json=<file>`; gzip when it ends in .gz. */
  samplesFile: string;
  /** Extra environment (TARGET_URL, TOXIPROXY_URL); the rest of process.env passes through. */
  env?: Record<string, string>;
  /** Stops the run: through k6's REST API first, then by signal. */
  signal?: AbortSignal;
  /** Called with t0 (epoch ms) the moment k6 acknowledged the resume. */
  onStart?(t0EpochMs: number): void;
  /** One-second windows from k6's REST API while the test runs (for guardrails). */
  onWindow?(window: K6Window): void;
  /** k6's own output, to stream to the user. */
  onOutput?(chunk: Buffer, stream: 'stdout' | 'stderr'): void;
  /** How long k6 may take to open its REST API (default 30 s; about 0.6 s measured). */
  readyTimeoutMs?: number;
  /** How long k6 may take to exit after a stop before the next, harder, signal (default 5 s). */
  stopGraceMs?: number;
}

export interface K6RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Epoch ms of the acknowledged resume. */
  t0: number;
  /** `exit 0: finished`, `exit 103: stopped from the REST API`, ... */
  outcome: string;
  /** True when k6 ran to its end (exit 0, or 99 when only its thresholds failed). */
  completed: boolean;
}

/**
 * Runs `k6 run --paused --address 127.0.0.1:<port> --out json=<samples> <bundle>`, waits
 * for the REST API, resumes the run and reports t0. k6 owns the load; this owns k6's process.
 */
export async function runK6(options: K6RunOptions): Promise<K6RunResult> {
  // Below the ephemeral range: between this pick and k6's bind, a listen(0) or an outgoing
  // connection here could take an ephemeral port, and the REST API polls would reach it.
  const port = await freeListenPort();
  const args = ['run', '--paused', '--address', `127.0.0.1:${port}`, '--out', `json=${options.samplesFile}`, options.bundleFile];
  const child = spawn(options.k6Path, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderrTail = '';
  child.stdout.on('data', (d: Buffer) => options.onOutput?.(d, 'stdout'));
  child.stderr.on('data', (d: Buffer) => {
    stderrTail = (stderrTail + d.toString()).slice(-2000);
    options.onOutput?.(d, 'stderr');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const api = new K6RestApi(`http://127.0.0.1:${port}`);
  const stopper = stopOnAbort(options, api, child, exited);
  try {
    const early = await Promise.race([waitUntilReady(api, options.readyTimeoutMs ?? 30_000), exited]);
    if (early !== 'ready') throw failedToStart(options.k6Path, early, stderrTail);
    if (options.signal?.aborted) throw new RunFailedError('the run was stopped before k6 started');
    await api.resume();
    const t0 = Date.now();
    options.onStart?.(t0);
    const watcher = options.onWindow ? watchWindows(api, options.onWindow) : null;
    const { code, signal } = await exited;
    watcher?.stop();
    return { exitCode: code, signal, t0, outcome: describeK6Exit(code, signal), completed: code !== null && completedRun(code) };
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    throw error instanceof RunFailedError ? error : new RunFailedError(`k6 could not be driven: ${String(error)}`, error);
  } finally {
    stopper.dispose();
  }
}

async function waitUntilReady(api: K6RestApi, timeoutMs: number): Promise<'ready' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await api.status();
      return 'ready';
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return 'timeout';
}

function failedToStart(k6Path: string, early: 'timeout' | { code: number | null; signal: NodeJS.Signals | null; error?: Error }, stderr: string) {
  if (early === 'timeout') return new RunFailedError(`k6 did not open its REST API in time (${k6Path})`);
  if (early.error) return new RunFailedError(`cannot start k6 (${k6Path}): ${early.error.message}`, early.error);
  return new RunFailedError(`k6 stopped before the load started (${describeK6Exit(early.code, early.signal)})\n${stderr.trim()}`);
}

/** On abort: PATCH stopped=true; if k6 is still there after the grace, SIGINT; then SIGKILL. */
function stopOnAbort(options: K6RunOptions, api: K6RestApi, child: ReturnType<typeof spawn>, exited: Promise<unknown>) {
  const graceMs = options.stopGraceMs ?? 5000;
  const timers: NodeJS.Timeout[] = [];
  const onAbort = () => {
    api.stop().catch(() => child.kill('SIGINT'));
    timers.push(setTimeout(() => child.kill('SIGINT'), graceMs));
    timers.push(setTimeout(() => child.kill('SIGKILL'), 2 * graceMs));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  void exited.then(() => timers.forEach(clearTimeout));
  return {
    dispose() {
      options.signal?.removeEventListener('abort', onAbort);
      timers.forEach(clearTimeout);
    },
  };
}

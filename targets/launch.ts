import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LaunchOptions {
  /** How long to wait for the ready line (default 15 s). */
  timeoutMs?: number;
  /** Every line the process prints on stdout after its ready line (a service's log). */
  onLine?: (line: string) => void;
}

export interface LaunchedTarget {
  /** What the target printed after "listening on": a URL or host:port. */
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a target (`targets/<name>.ts`) in its own process, so it does not share an event
 * loop with the load generator, and waits for its "listening on ..." line.
 */
export function launchTarget(name: string, args: string[], options: LaunchOptions = {}): Promise<LaunchedTarget> {
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  return launchProcess(name, ['--import', 'tsx', script, ...args], /listening on (\S+)/, options);
}

const EXIT_WITH_PARENT = new URL('./exit-with-parent.js', import.meta.url).href;

/**
 * Starts `node <args>` and waits until its stdout matches `ready` (group 1: the address).
 * The process exits when this one does, however this one ends (see exit-with-parent.js).
 */
export function launchProcess(name: string, args: string[], ready: RegExp, options: LaunchOptions = {}): Promise<LaunchedTarget> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void stop(); reject(new Error(`${name} did not start within ${timeoutMs} ms`)); }, timeoutMs);
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = ready.exec(seen);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.removeAllListeners('data');
      if (options.onLine) forwardLines(child, seen.slice(match.index), options.onLine);
      else child.stdout!.resume();
      resolve({ address: match[1]!, process: child, stop });
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited with ${code} before it listened`)); });
  });
}

/** Hands `onLine` each complete line of the child's stdout after the one `pending` (the ready line and what followed it) starts with. */
function forwardLines(child: ChildProcess, pending: string, onLine: (line: string) => void): void {
  let rest = '';
  let readyLine = true;
  const take = (text: string) => {
    const lines = (rest + text).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (readyLine) readyLine = false;
      else if (line) onLine(line);
    }
  };
  take(pending);
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', take);
}

/** Waits until the demo service answers from its store, then verifies t-0..t-99 so its cache holds them (the baseline the scenarios expect). */
export async function waitForStore(serviceUrl: string): Promise<void> {
  const verify = async (token: string) => {
    const res = await fetch(`${serviceUrl}/verify`, { method: 'POST', body: JSON.stringify({ token }), headers: { 'content-type': 'application/json' } });
    return res.ok ? ((await res.json()) as { source?: string }).source : undefined;
  };
  const deadline = Date.now() + 10_000;
  while ((await verify('t-0').catch(() => undefined)) !== 'store') {
    if (Date.now() > deadline) throw new Error('the demo service did not reach its store within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 100 }, (_, i) => verify(`t-${i}`)));
}

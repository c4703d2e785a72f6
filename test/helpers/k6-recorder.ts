import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// A stand-in for k6's modules, for loading a faultline bundle in Node. It records what the
// bundle asks k6 to do; it checks faultline's mapping onto k6's API, not k6 itself.

export interface RecordedRequest {
  /** Virtual time of the call (sum of sleeps so far), ms. */
  atMs: number;
  method: string;
  url: string;
  body: string | null;
  params: { headers?: Record<string, string>; tags?: Record<string, string>; timeout?: string | number; responseCallback?: unknown };
}

export interface Recording {
  requests: RecordedRequest[];
  checks: Record<string, { passes: number; fails: number }>;
  iteration: number;
  sleeps: number[];
  sleptMs: number;
  aborted?: string;
  respond?: (method: string, url: string) => { status: number; body: string } | undefined;
}

const MODULES: Record<string, string> = {
  'k6.mjs': `const rec = globalThis.__k6recording;
export function check(value, checks) {
  let all = true;
  for (const [name, fn] of Object.entries(checks)) {
    const ok = !!fn(value);
    const c = (rec.checks[name] ??= { passes: 0, fails: 0 });
    ok ? c.passes++ : c.fails++;
    all &&= ok;
  }
  return all;
}
// Virtual time: sleep() moves Date.now() forward instead of waiting.
const realNow = Date.now;
export function sleep(seconds) { rec.sleptMs += seconds * 1000; rec.sleeps.push(seconds); }
Date.now = () => realNow() + rec.sleptMs;
export default { check, sleep };`,
  'k6-http.mjs': `const rec = globalThis.__k6recording;
export function expectedStatuses(...ranges) { return { expectedStatuses: ranges }; }
export function request(method, url, body, params) {
  rec.requests.push({ method, url, body, params, atMs: rec.sleptMs });
  const answer = rec.respond?.(method, url) ?? { status: 200, body: '{"ok":true}' };
  return { ...answer, headers: {} };
}
export const get = (url, params) => request('GET', url, null, params);
export default { request, get, expectedStatuses };`,
  'k6-execution.mjs': `const rec = globalThis.__k6recording;
export default { scenario: { get iterationInTest() { return rec.iteration; } }, vu: { idInTest: 1 },
  test: { abort(message) { rec.aborted = message; throw new Error('aborted: ' + message); } } };`,
};

/** Loads a bundle with `k6`, `k6/http` and `k6/execution` resolved to the recorder. */
export async function loadBundleWithRecorder(bundleFile: string, env: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-k6rec-'));
  for (const [name, source] of Object.entries(MODULES)) await writeFile(join(dir, name), source);
  const url = (name: string) => JSON.stringify(pathToFileURL(join(dir, name)).href);
  const source = (await readFile(bundleFile, 'utf8'))
    .replace(/from\s+"k6\/http"/g, `from ${url('k6-http.mjs')}`)
    .replace(/from\s+"k6\/execution"/g, `from ${url('k6-execution.mjs')}`)
    .replace(/from\s+"k6"/g, `from ${url('k6.mjs')}`);
  const recording: Recording = { requests: [], checks: {}, iteration: 0, sleeps: [], sleptMs: 0 };
  const globals = globalThis as Record<string, unknown>;
  globals.__k6recording = recording;
  globals.__ENV = env;
  const file = join(dir, 'bundle.mjs');
  await writeFile(file, source);
  const module = (await import(pathToFileURL(file).href)) as {
    options: Record<string, any>; default: () => void; faultlineTimeline?: () => void; setup?: () => void; teardown?: () => void;
  };
  return {
    module,
    options: module.options,
    recording,
    /** Runs the default function n times, as k6's iterations would. */
    iterate(n: number) {
      for (let i = 0; i < n; i++) {
        recording.iteration = i;
        module.default();
      }
    },
  };
}

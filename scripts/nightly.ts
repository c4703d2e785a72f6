// The nightly perf-chaos job on any machine: runs scenarios with `faultline run` against the
// demo system under test and fails on an SLO failure or a regression against a baseline.
// Real k6 is used when it is on PATH, a real Toxiproxy when TOXIPROXY_URL answers; otherwise
// the built-in engine and the built-in proxy (as a sidecar process).
//
// Baselines come from this machine: with --baselines DIR, a scenario that passes leaves its
// summary there as the next night's baseline, and regressions against it fail the night. A
// scenario with none there yet (the first night) is compared with the committed
// results/baselines/, recorded elsewhere: its regressions are shown, not failed on.
//
//   node --import tsx scripts/nightly.ts [--scenarios a,b] [--duration 20s] [--out results/nightly] [--store kv|redis] [--baselines DIR]
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadScenarioFile } from '../lib/scenario/index.ts';
import { FaultApi } from '../lib/timeline/index.ts';
import { launchProcess, launchTarget, type LaunchedTarget } from '../targets/launch.ts';
import { findOnPath, freeListenPort } from '../lib/host/index.ts';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const BIN = root('lib/cli/bin.js');
const say = (text: string) => process.stderr.write(`nightly: ${text}\n`);

const { values } = parseArgs({ options: {
  scenarios: { type: 'string' }, duration: { type: 'string' }, out: { type: 'string', default: 'results/nightly' }, store: { type: 'string', default: 'kv' },
  baselines: { type: 'string' },
} });

interface Result { scenario: string; exitCode: number | null; folder: string | null; verdict: string | null; baseline: string | null }

async function main(): Promise<number> {
  const names = values.scenarios?.split(',') ?? readdirSync(root('scenarios')).filter((f) => f.endsWith('.ts') && f !== 'smoke.ts').map((f) => basename(f, '.ts'));
  const engine = (await findOnPath('k6')) ? 'k6' : 'builtin';
  const started: LaunchedTarget[] = [];
  try {
    const toxiproxyUrl = await toxiproxy(started);
    say(`engine ${engine}; Toxiproxy API ${toxiproxyUrl}; store ${values.store}`);
    const stack = await startStack(toxiproxyUrl, started);
    const results: Result[] = [];
    for (const name of names) results.push(await runOne(name, engine, toxiproxyUrl, stack));
    await mkdir(values.out!, { recursive: true });
    await writeFile(join(values.out!, 'nightly.json'), `${JSON.stringify({ engine, toxiproxyUrl, results }, null, 2)}\n`);
    for (const r of results) say(`${r.scenario.padEnd(34)} exit ${r.exitCode}  ${r.verdict ?? '-'}  ${r.folder ?? ''}  (baseline: ${r.baseline ?? 'none'})`);
    const codes = results.map((r) => r.exitCode ?? 3);
    return codes.includes(3) ? 3 : codes.includes(1) ? 1 : codes.some((c) => c !== 0) ? 2 : 0;
  } finally {
    for (const target of started.reverse()) await target.stop();
  }
}

/** TOXIPROXY_URL when it answers; else `faultline proxy` in its own process. */
async function toxiproxy(started: LaunchedTarget[]): Promise<string> {
  const given = process.env.TOXIPROXY_URL;
  if (given && (await fetch(`${given}/version`).then((r) => r.ok, () => false))) return given;
  if (given) say(`TOXIPROXY_URL=${given} does not answer: using the built-in proxy`);
  const sidecar = await launchProcess('faultline proxy', [BIN, 'proxy', '--listen', '127.0.0.1:0'], /API on (\S+)/);
  started.push(sidecar);
  return sidecar.address;
}

interface Stack {
  serviceUrl: string;
  proxies: Record<string, { listen: string; upstream: string }>;
  /** How the store was started (targets/start-store.ts): the restart scenario starts it again the same way. */
  storeEnv: Record<string, string>;
}

/** The system under test: a store (kv-store or a real redis-server), the profile API, and the demo service behind the proxies. */
async function startStack(toxiproxyUrl: string, started: LaunchedTarget[]): Promise<Stack> {
  const storePort = await freeListenPort();
  const storeEnv = { DEMO_STORE_KIND: values.store === 'redis' ? 'redis' : 'kv', DEMO_STORE_PORT: String(storePort), DEMO_STORE_PID_FILE: join(values.out!, 'demo-store.pid') };
  started.push(await startStore(storeEnv));
  const profiles = await launchTarget('profile-api', ['--port', '0']);
  started.push(profiles);
  const proxies = {
    store: { listen: `127.0.0.1:${await freeListenPort()}`, upstream: `127.0.0.1:${storePort}` },
    profiles: { listen: `127.0.0.1:${await freeListenPort()}`, upstream: profiles.address.replace(/^http:\/\//, '') },
  };
  const faults = new FaultApi({ url: toxiproxyUrl });
  await faults.prepare(Object.entries(proxies).map(([name, p]) => ({ name, ...p })));
  await faults.close();
  const service = await launchTarget('demo-service', ['--port', '0', '--store', proxies.store.listen, '--profiles', proxies.profiles.listen]);
  started.push(service);
  return { serviceUrl: service.address, proxies, storeEnv };
}

async function runOne(name: string, engine: string, toxiproxyUrl: string, stack: Stack): Promise<Result> {
  const file = root(`scenarios/${name}.ts`);
  const definition = (await loadScenarioFile(file)) as { proxies?: { name: string }[]; processes?: { name: string }[] };
  const args = ['run', file, '--engine', engine, '--toxiproxy', toxiproxyUrl, '--out', values.out!];
  for (const { name: proxy } of definition.proxies ?? []) {
    const p = stack.proxies[proxy];
    if (p) args.push('--proxy-listen', `${proxy}=${p.listen}`, '--proxy-upstream', `${proxy}=${p.upstream}`);
  }
  // The store's process (pause, restart, vital signs) is the one the stack started.
  if ((definition.processes ?? []).some((p) => p.name === 'store')) args.push('--process', `store=pid-file:${stack.storeEnv.DEMO_STORE_PID_FILE}`);
  if (values.duration) args.push('--duration', values.duration);
  // A shortened run is not comparable with a full one: no baseline either way.
  const baseline = values.duration ? null : chooseBaseline(name);
  if (baseline) args.push('--baseline', baseline.file);
  say(`run ${name}; baseline: ${baseline?.why ?? 'none (--duration shortens the run)'}`);
  const run = await spawnCli(args, { TARGET_URL: stack.serviceUrl, ...stack.storeEnv });
  const folder = run.stdout.trim().split('\n').pop() || null;
  const summaryFile = folder ? join(folder, 'summary.json') : null;
  const summary = summaryFile && existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) as { verdict: string } : null;
  // Exit 1 with every SLO passed is a regression. Against a baseline from another machine
  // it is shown, not failed on: only this machine's own nights can judge this machine.
  let code = run.code;
  if (code === 1 && summary?.verdict === 'pass' && baseline && !baseline.own) {
    say(`${name}: regressions against the committed baseline (recorded on another machine) are shown above, not failed on`);
    code = 0;
  }
  if (code === 0 && summaryFile && values.baselines && !values.duration) await keepAsBaseline(name, summaryFile);
  return { scenario: name, exitCode: code, folder, verdict: summary?.verdict ?? null, baseline: baseline?.file ?? null };
}

/** This runner's last passing night when there is one, else the committed baseline. */
function chooseBaseline(name: string): { file: string; why: string; own: boolean } | null {
  const own = values.baselines ? join(values.baselines, `${name}.json`) : null;
  if (own && existsSync(own)) return { file: own, why: `${own} (this machine's last passing night)`, own: true };
  const committed = root(`results/baselines/${name}.json`);
  if (!existsSync(committed)) return null;
  const why = `${committed} (committed, from another machine: regressions shown, not failed on${own ? '; no passing night on this machine yet' : ''})`;
  return { file: committed, why, own: false };
}

async function keepAsBaseline(name: string, summaryFile: string): Promise<void> {
  const out = join(values.baselines!, `${name}.json`);
  const { code } = await spawnCli(['baseline', summaryFile, '--out', out], {});
  say(code === 0 ? `kept ${summaryFile} as the next night's baseline (${out})` : `could not keep ${summaryFile} as a baseline (exit ${code})`);
}

function spawnCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

/**
 * The store (kv-store or a real redis-server) as a daemon, by targets/start-store.ts: its pid
 * file names it to the scenarios that pause or restart it. Stopped by that file at the end,
 * since a restart leaves a new process.
 */
async function startStore(env: Record<string, string>): Promise<LaunchedTarget> {
  await mkdir(values.out!, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', root('targets/start-store.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`targets/start-store.ts exited with ${code}`);
  const stop = async () => {
    const pid = Number(readFileSync(env.DEMO_STORE_PID_FILE!, 'utf8'));
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
  };
  return { address: `127.0.0.1:${env.DEMO_STORE_PORT}`, process: child, stop };
}


process.exitCode = await main();

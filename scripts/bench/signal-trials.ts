// Signal trials: `faultline run` stopped by SIGINT or SIGTERM at a random moment, from its
// first instant to the middle of its faults, many times. After each trial: the exit code
// must be 3, no fault may be left on the Toxiproxy (the built-in proxy as `faultline proxy`
// serves it, and a real toxiproxy-server when one is on PATH), and the run folder must
// analyse when the load had started. Prints every count; all but the trials must be 0.
//
//   node --import tsx scripts/bench/signal-trials.ts [--trials 50] [--quick]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freeListenPort } from '../../lib/host/index.ts';
import { startProxyServer } from '../../lib/proxy/index.ts';
import { REAL, startRealToxiproxy } from '../../test/helpers/real-tools.ts';

const BIN = fileURLToPath(new URL('../../lib/cli/bin.js', import.meta.url));
const { values } = parseArgs({ options: { trials: { type: 'string' }, quick: { type: 'boolean', default: false } } });
const trials = Number(values.trials ?? (values.quick ? 10 : 50));

interface Trial { server: string; signal: string; atMs: number; code: number | null; folder: boolean; started: boolean; left: string[]; analysed: boolean | null }

function cli(args: string[], killAtMs?: { signal: NodeJS.Signals; atMs: number }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    if (killAtMs) setTimeout(() => child.kill(killAtMs.signal), killAtMs.atMs);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** faultline's faults still on the proxies: disabled proxies and toxics other than a run's lease. */
async function faultsLeft(apiUrl: string): Promise<string[]> {
  const proxies = (await (await fetch(`${apiUrl}/proxies`)).json()) as Record<string, { enabled: boolean; toxics: { name: string }[] }>;
  return Object.entries(proxies).flatMap(([name, p]) => [
    ...(p.enabled ? [] : [`${name} (disabled)`]),
    ...p.toxics.filter((t) => t.name.startsWith('faultline_')).map((t) => `${name}/${t.name}`),
  ]);
}

async function main(): Promise<number> {
  const target = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const targetPort = (target.address() as AddressInfo).port;
  const dir = await mkdtemp(join(tmpdir(), 'faultline-signal-trials-'));
  const file = join(dir, 'trial.mjs');
  const listen = `127.0.0.1:${await freeListenPort()}`;
  // 5 s of load at 200/s, faults from 300 ms; start-up takes 1-2 s here. Signals land in [0, 4.5 s).
  await writeFile(file, `export default ${JSON.stringify({
    name: 'trial', target: { baseUrl: `http://${listen}` },
    load: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '5s', preAllocatedVUs: 10, maxVUs: 100, gracefulStop: '1s' },
    requests: [{ name: 'get', path: '/', timeout: '1s' }],
    proxies: [{ name: 'svc', listen, upstream: `127.0.0.1:${targetPort}` }],
    timeline: [
      { at: '300ms', for: '2s', proxy: 'svc', fault: { type: 'latency', attributes: { latency: 20, jitter: 0 } } },
      { at: '1s', for: '500ms', proxy: 'svc', fault: { type: 'down', attributes: {} } },
    ],
  })};\n`);
  const servers = [{ name: 'built-in', start: () => startProxyServer({ port: 0 }) }];
  if (REAL.toxiproxyServer) servers.push({ name: 'real', start: startRealToxiproxy });
  else process.stdout.write('toxiproxy-server not on PATH: the trials use the built-in proxy only\n');
  const results: Trial[] = [];
  try {
    for (let i = 0; i < trials; i++) {
      const server = servers[i % servers.length]!;
      const api = await server.start();
      try {
        const signal: NodeJS.Signals = i % 4 < 2 ? 'SIGINT' : 'SIGTERM';
        const atMs = Math.round(Math.random() * 4500);
        const run = await cli(['run', file, '--engine', 'builtin', '--toxiproxy', api.url, '--out', join(dir, 'runs')], { signal, atMs });
        const folder = run.stdout.trim().split('\n').pop() ?? '';
        const started = existsSync(join(folder, 'events.json'));
        let analysed: boolean | null = null;
        if (started) {
          const a = await cli(['analyze', join(folder, 'samples.json.gz'), '--events', join(folder, 'events.json'), '--out', join(folder, 'reanalysis')]);
          analysed = a.code === 0 || a.code === 1;
        }
        const trial = { server: server.name, signal, atMs, code: run.code, folder: folder !== '', started, left: await faultsLeft(api.url), analysed };
        results.push(trial);
        process.stdout.write(`trial ${String(i + 1).padStart(2)}: ${server.name.padEnd(8)} ${signal} at ${String(atMs).padStart(4)} ms: exit ${trial.code}, ${started ? 'load started' : 'stopped before the load'}, faults left ${trial.left.length}${analysed === false ? ', NOT analysable' : ''}\n`);
      } finally {
        await api.close();
      }
    }
  } finally {
    target.close();
  }
  // A signal in Node's own start-up, before bin.js's first line, ends the process as the
  // signal's default does (the shell sees 128+N): nothing of faultline's had run yet.
  const beforeFirstLine = results.filter((r) => r.code === null && !r.folder).length;
  const wrongExit = results.filter((r) => r.code !== 3 && !(r.code === null && !r.folder)).length;
  const left = results.filter((r) => r.left.length > 0).length;
  const unanalysable = results.filter((r) => r.analysed === false).length;
  process.stdout.write(`\ntrials ${results.length} (${results.filter((r) => r.started).length} after the load started, ${results.filter((r) => !r.started).length - beforeFirstLine} during faultline's start-up, ${beforeFirstLine} in Node's own start-up before faultline's first line: killed by the signal, nothing done)\n`);
  process.stdout.write(`faults left behind ${left}\nruns with a wrong exit code ${wrongExit}\nruns whose folder could not be analysed ${unanalysable}\n`);
  return left + wrongExit + unanalysable === 0 ? 0 : 1;
}

process.exitCode = await main();

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeListenPort } from '../../lib/host/index.ts';
import { FaultApi } from '../../lib/timeline/index.ts';
import { launchProcess, launchTarget, waitForStore } from '../../targets/launch.ts';
import { runCli } from '../helpers/cli.ts';
import { REAL } from '../helpers/real-tools.ts';

// The shipped store-paused and store-restart scenarios on real runs: the demo service, its
// store started as a daemon by targets/start-store.ts (a kv-store, and a real redis-server
// when one is on PATH), the fault proxy as a sidecar. What the run reports is checked
// against the service's own circuit log: while the store is paused it answers nothing (the
// circuit stays open, every probe fails); after the restart the recovery time is the moment
// of the service's first successful store call (its circuit closing), within one 100 ms step.
const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const BIN = root('lib/cli/bin.js');
const STEP_MS = 100;

interface Transition { edge: string; type: string; atMs: number; errorRate: number; recoveryTimeMs: number | null }
interface VitalsPhase { phase: string; cpuCoresMean: number; cpuCoresMax: number; downSeconds: number; samples: number }
interface Summary {
  verdict: string; slo: { measure: string; pass: boolean; observed: number | null }[]; transitions: Transition[];
  vitals?: { process: string; phases: VitalsPhase[] }[];
}
interface FaultEventLine { edge: string; type: string; appliedMs: number | null; process?: { pid?: number; exitCode?: number | null } }

async function runScenario(name: string, kind: 'kv' | 'redis', engine: 'builtin' | 'k6') {
  const dir = await mkdtemp(join(tmpdir(), `faultline-${name}-`));
  const storeEnv = { DEMO_STORE_KIND: kind, DEMO_STORE_PORT: String(await freeListenPort()), DEMO_STORE_PID_FILE: join(dir, 'store.pid') };
  const started = spawnSync(process.execPath, ['--import', 'tsx', root('targets/start-store.ts')], { env: { ...process.env, ...storeEnv }, encoding: 'utf8' });
  assert.equal(started.status, 0, started.stderr);
  const proxy = await launchProcess('faultline proxy', [BIN, 'proxy', '--listen', '127.0.0.1:0'], /API on (\S+)/);
  const listen = `127.0.0.1:${await freeListenPort()}`;
  const api = new FaultApi({ url: proxy.address });
  await api.prepare([{ name: 'store', listen, upstream: `127.0.0.1:${storeEnv.DEMO_STORE_PORT}` }]);
  await api.close();
  const log: string[] = [];
  const service = await launchTarget('demo-service', ['--port', '0', '--store', listen], { onLine: (line) => log.push(line) });
  try {
    await waitForStore(service.address);
    const run = await runCli([
      'run', root(`scenarios/${name}.ts`), '--engine', engine, '--toxiproxy', proxy.address, '--out', join(dir, 'runs'),
      '--proxy-listen', `store=${listen}`, '--proxy-upstream', `store=127.0.0.1:${storeEnv.DEMO_STORE_PORT}`,
      '--process', `store=pid-file:${storeEnv.DEMO_STORE_PID_FILE}`,
    ], { env: { ...storeEnv, TARGET_URL: service.address }, timeoutMs: 90_000 });
    assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}\n${run.stderr.slice(-3000)}`);
    const folder = run.stdout.trim().split('\n').pop()!;
    const read = async <T>(file: string) => JSON.parse(await readFile(join(folder, file), 'utf8')) as T;
    const summary = await read<Summary>('summary.json');
    const events = await read<{ t0: string; events: FaultEventLine[] }>('events.json');
    const t0 = Date.parse(events.t0);
    const circuit = log.map((l) => JSON.parse(l) as { time: string; circuit: string; state: string })
      .filter((l) => l.circuit === 'store').map((l) => ({ state: l.state, ms: Date.parse(l.time) - t0 }));
    return { summary, events: events.events, circuit, stderr: run.stderr, pidNow: Number(await readFile(storeEnv.DEMO_STORE_PID_FILE, 'utf8')) };
  } finally {
    await service.stop();
    await proxy.stop();
    try { process.kill(Number(await readFile(storeEnv.DEMO_STORE_PID_FILE, 'utf8')), 'SIGKILL'); } catch { /* gone */ }
  }
}

const storePhases = (s: Summary) => Object.fromEntries((s.vitals?.find((v) => v.process === 'store')?.phases ?? []).map((p) => [p.phase, p]));
const failedSlos = (s: Summary) => s.slo.filter((x) => !x.pass).map((x) => `${x.measure} ${x.observed}`);

for (const engine of ['builtin', 'k6'] as const) {
  test(`store-paused (${engine}): the store answers nothing while frozen, the run meets its SLOs`, { skip: engine === 'k6' && !REAL.k6 ? 'k6 is not on PATH' : false, timeout: 120_000 }, async () => {
    const r = await runScenario('store-paused', 'kv', engine);
    const [on, off] = [r.summary.transitions.find((t) => t.edge === 'on')!, r.summary.transitions.find((t) => t.edge === 'off')!];
    assert.deepEqual([on.type, off.type], ['pause', 'pause']);
    // The circuit opens within the pause and no store call succeeds (no `closed`) until the store is continued.
    const opened = r.circuit.find((l) => l.state === 'open' && l.ms >= on.atMs);
    assert.ok(opened && opened.ms < off.atMs, `service log: ${JSON.stringify(r.circuit)}`);
    assert.deepEqual(r.circuit.filter((l) => l.state === 'closed' && l.ms > opened.ms && l.ms < off.atMs), [], 'a store answer while paused');
    assert.ok(r.circuit.some((l) => l.state === 'closed' && l.ms >= off.atMs), 'the circuit closes once the store is continued');
    // Its vital signs: working before, next to no CPU while frozen (the first second of the
    // pause holds the few ms the store ran before the SIGSTOP).
    const phases = storePhases(r.summary);
    const [before, frozen] = [phases.baseline!, phases['fault-1']!];
    assert.ok(before.cpuCoresMean > 0.01 && frozen.samples >= 4 && frozen.cpuCoresMean < before.cpuCoresMean / 4 && frozen.cpuCoresMax < 0.02, JSON.stringify(phases));
    assert.deepEqual(failedSlos(r.summary), [], r.stderr.slice(-2000));
  });
}

const redis = spawnSync('redis-server', ['--version']).status === 0;
for (const kind of ['kv', 'redis'] as const) {
  test(`store-restart (${kind}): the store is stopped and started again; recovery is the service's first successful store call`, { skip: kind === 'redis' && !redis ? 'redis-server is not on PATH' : false, timeout: 120_000 }, async () => {
    const r = await runScenario('store-restart', kind, 'builtin');
    const on = r.events.find((e) => e.edge === 'on')!;
    const off = r.events.find((e) => e.edge === 'off')!;
    assert.ok(on.process?.pid && on.process.pid !== r.pidNow, `a new store process: ${on.process?.pid} then ${r.pidNow}`);
    assert.equal(off.process?.exitCode, 0, 'the start command succeeded');
    // Its vital signs: gone (up 0) for the seconds between the stop and the start.
    const phases = storePhases(r.summary);
    assert.ok(phases['fault-1']!.downSeconds >= 2 && phases.baseline!.downSeconds === 0, JSON.stringify(phases));
    const back = r.summary.transitions.find((t) => t.edge === 'off')!;
    const closed = r.circuit.find((l) => l.state === 'closed' && l.ms > back.atMs);
    assert.ok(closed, `service log: ${JSON.stringify(r.circuit)}`);
    assert.ok(back.recoveryTimeMs !== null && Math.abs(back.recoveryTimeMs - (closed.ms - back.atMs)) <= STEP_MS + 5,
      `recovery ${back.recoveryTimeMs} ms, the service's first successful store call ${(closed.ms - back.atMs).toFixed(1)} ms after the store's return`);
    assert.deepEqual(failedSlos(r.summary), [], r.stderr.slice(-2000));
  });
}

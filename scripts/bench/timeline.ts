// Benchmark: a 50-step fault timeline against the built-in proxy under 1000 req/s.
// Prints the skew of every fault call (acknowledged minus scheduled: p50/p99/max) and the
// time from acknowledgement until the fault is visible in the traffic: for `down`, the
// first failed request sent after the acknowledgement; for `latency`, the first slow
// response. Then the same timeline under 10 req/s, where the event loop is nearly idle: the
// difference is what the load adds. First, the floor: the same API client asking the proxy
// thread for its version with no load at all, each call after a pause (as timeline steps
// come): what one round trip between two threads costs on this machine.
// Run: node --import tsx scripts/bench/timeline.ts [--quick] [--sidecar]
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../lib/run/run.ts';
import { launchProcess } from '../../targets/launch.ts';
import { freeListenPort } from '../../lib/host/index.ts';
import { startProxyThread } from '../../lib/proxy/index.ts';
import { FaultApi } from '../../lib/timeline/index.ts';

const quick = process.argv.includes('--quick');
/** `--sidecar`: the built-in proxy in its own process (`faultline proxy`) instead of in-process. */
const sidecar = process.argv.includes('--sidecar');
const STEPS = quick ? 10 : 50;
const SPACING_MS = 400;
const LATENCY_MS = 50;

/** The upstream: a trivial HTTP server in its own process (it exits with this one), so it does not share our event loop. */
async function startUpstream(): Promise<{ port: number; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-bench-'));
  const file = join(dir, 'upstream.mjs');
  await writeFile(file, `import http from 'node:http';
const s = http.createServer((req, res) => res.end('ok'));
s.listen(0, '127.0.0.1', () => console.log('listening on ' + s.address().port));`);
  const upstream = await launchProcess('bench upstream', [file], /listening on (\d+)/);
  return { port: Number(upstream.address), stop: upstream.stop };
}

async function main() {
  await measureFloor();
  const upstream = await startUpstream();
  try {
    await measure(upstream.port, 1000, true);
    await measure(upstream.port, 10, false);
  } finally {
    await upstream.stop();
  }
}

/** One API round trip with nothing else running: GET /version to the proxy thread, 50 ms apart. */
async function measureFloor() {
  const server = await startProxyThread({ host: '127.0.0.1', port: 0 });
  const api = new FaultApi({ url: server.url });
  const times: number[] = [];
  try {
    for (let i = 0; i < (quick ? 40 : 200); i++) {
      await new Promise((r) => setTimeout(r, 50));
      const start = performance.now();
      await api.version();
      times.push(performance.now() - start);
    }
  } finally {
    await api.close();
    await server.close();
  }
  times.sort((a, b) => a - b);
  console.log(`floor: one API round trip to the proxy thread with no load (GET /version, ${times.length} calls 50 ms apart): p50 ${pct(times, 50)} ms, p99 ${pct(times, 99)} ms, max ${pct(times, 100)} ms`);
}

/** `visibility`: print when the faults showed in the traffic (meaningless at 10 req/s, where requests are 100 ms apart). */
async function measure(upstreamPort: number, rate: number, visibility: boolean) {
  const listen = `127.0.0.1:${await freeListenPort()}`;
  const dir = await mkdtemp(join(tmpdir(), 'faultline-bench-'));
  const timeline = Array.from({ length: STEPS }, (_, i) => ({
    at: 1000 + i * SPACING_MS, for: SPACING_MS / 2, proxy: 'svc',
    fault: i % 2 === 0 ? { type: 'down', attributes: {} } : { type: 'latency', attributes: { latency: LATENCY_MS, jitter: 0 } },
  }));
  const durationMs = 1000 + STEPS * SPACING_MS + 1000;
  const scenarioFile = join(dir, 'bench-timeline.mjs');
  await writeFile(scenarioFile, `export default ${JSON.stringify({
    name: 'bench-timeline', target: { baseUrl: `http://${listen}` },
    load: { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: durationMs, preAllocatedVUs: 100, maxVUs: 1000, gracefulStop: '2s' },
    requests: [{ name: 'get', path: '/', timeout: '2s' }],
    proxies: [{ name: 'svc', listen, upstream: `127.0.0.1:${upstreamPort}` }],
    timeline,
  })};`);
  const proxy = sidecar ? await launchProcess('faultline proxy', [fileURLToPath(new URL('../../lib/cli/bin.js', import.meta.url)), 'proxy', '--listen', '127.0.0.1:0'], /API on (\S+)/) : null;
  try {
    const run = await runScenario({ scenarioFile, engine: 'builtin', outRoot: dir, commandLine: ['bench'], toxiproxyUrl: proxy?.address });
    const events = run.events?.events ?? [];
    const skews = events.filter((e) => e.appliedMs !== null && e.kind !== 'cleanup').map((e) => e.appliedMs! - e.scheduledMs).sort((a, b) => a - b);
    const samples = await readRequests(run.folder.samplesFile, Date.parse(run.events!.t0));
    const visible = { down: [] as number[], latency: [] as number[] };
    for (const e of events.filter((ev) => ev.edge === 'on' && ev.kind === 'edge' && ev.appliedMs !== null)) {
      const affected = e.type === 'down'
        ? samples.find((s) => s.sentMs >= e.appliedMs! && s.failed)
        : samples.find((s) => s.sentMs >= e.appliedMs! && s.durationMs >= LATENCY_MS);
      if (affected) visible[e.type as 'down' | 'latency'].push(affected.sentMs - e.appliedMs!);
    }
    console.log(`timeline bench: ${STEPS} steps (${events.length} API calls) under ${rate} req/s, built-in engine, built-in proxy ${sidecar ? "in its own process" : "on its own thread"}`);
    const sent = events.map((e) => e.sentMs - e.scheduledMs).sort((a, b) => a - b);
    console.log(`  sent - scheduled: p50 ${pct(sent, 50)} ms, p99 ${pct(sent, 99)} ms, max ${pct(sent, 100)} ms`);
    console.log(`  requests analysed: ${samples.length}`);
    console.log(`  skew (acknowledged - scheduled): p50 ${pct(skews, 50)} ms, p99 ${pct(skews, 99)} ms, max ${pct(skews, 100)} ms  (target p99 < 5 ms)`);
    for (const type of ['down', 'latency'] as const) {
      for (const edge of ['on', 'off'] as const) {
        const k = events.filter((e) => e.type === type && e.edge === edge && e.appliedMs !== null).map((e) => e.appliedMs! - e.scheduledMs).sort((a, b) => a - b);
        console.log(`  skew of ${type} ${edge}: p50 ${pct(k, 50)} ms, max ${pct(k, 100)} ms (${k.length} calls)`);
      }
    }
    for (const type of ['down', 'latency'] as const) {
      if (!visibility) continue;
      const v = visible[type].sort((a, b) => a - b);
      console.log(`  ${type}: acknowledgement -> first affected request sent: p50 ${pct(v, 50)} ms, max ${pct(v, 100)} ms (${v.length} edges seen)`);
    }
  } finally {
    await proxy?.stop();
  }
}

/** Send time (end - duration, ms from t0), duration and failure of every request in a k6 JSON samples file. */
async function readRequests(file: string, t0: number) {
  const out: { sentMs: number; durationMs: number; failed: boolean }[] = [];
  let pending: { endMs: number; durationMs: number } | null = null;
  for await (const line of createInterface({ input: createReadStream(file).pipe(createGunzip()) })) {
    if (!line.includes('"Point"')) continue;
    const p = JSON.parse(line) as { metric: string; data: { time: string; value: number } };
    if (p.metric === 'http_req_duration') pending = { endMs: Date.parse(p.data.time) - t0, durationMs: p.data.value };
    else if (p.metric === 'http_req_failed' && pending) {
      out.push({ sentMs: pending.endMs - pending.durationMs, durationMs: pending.durationMs, failed: p.data.value === 1 });
      pending = null;
    }
  }
  return out.sort((a, b) => a.sentMs - b.sentMs);
}

function pct(sorted: number[], p: number): string {
  if (!sorted.length) return 'n/a';
  const v = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return v.toFixed(2);
}

await main();

// Benchmark of the built-in fault proxy (issue 3). Run: node --import tsx scripts/bench/proxy.ts [--quick]
// Three processes: this one (the clients and the measuring), the target (an HTTP server and
// a bulk TCP source), and the proxy (startProxyServer), so each side has its own event loop.
// When toxiproxy-server is on PATH, a real Toxiproxy (a fourth process, on a free port of
// 127.0.0.1) goes through the same measurements beside it, and each figure's ratio
// built-in/real is printed.
// Figures on a shared 2-core machine are noisy: compare medians of several runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import { startProxyServer } from '../../lib/proxy/index.ts';
import { REAL, startRealToxiproxy, toolVersion, type RealToxiproxy } from '../../test/helpers/real-tools.ts';

const quick = process.argv.includes('--quick');
const RATE_PER_S = 1000;
const HTTP_S = quick ? 3 : Number(process.env.BENCH_HTTP_S ?? 20);
const BULK_BYTES = quick ? 256 * 2 ** 20 : 2 ** 30;
const BULK_RUNS = 3;
const BANDWIDTH_KBPS = 1000;
const BANDWIDTH_BYTES = quick ? 2 ** 20 : 5 * 2 ** 20;

/** The target process: HTTP "ok" at once (`/slow`: after 100 ms) with keep-alive, and a TCP source that sends the byte count asked for in its first line. */
const TARGET = `
const http = require('node:http'); const net = require('node:net');
const server = http.createServer((req, res) => req.url === '/slow' ? setTimeout(() => res.end('ok'), 100) : res.end('ok'));
server.keepAliveTimeout = 60000;
const source = net.createServer((s) => {
  s.once('data', (line) => {
    let left = Number(String(line).trim()); const buf = Buffer.alloc(64 * 1024, 1);
    const pump = () => { while (left > 0) { const n = Math.min(left, buf.length); left -= n; if (!s.write(n === buf.length ? buf : buf.subarray(0, n))) return s.once('drain', pump); } s.end(); };
    pump();
  });
  s.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => source.listen(0, '127.0.0.1', () => process.send({ http: server.address().port, source: source.address().port })));`;

function child(args: string[]): Promise<{ child: ChildProcess; message: Record<string, unknown> }> {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => proc.once('message', (message) => resolve({ child: proc, message: message as Record<string, unknown> })));
}

/** A proxy under test, by its Toxiproxy-compatible API. */
interface Subject { name: string; api: string }

async function main(): Promise<void> {
  if (process.argv.includes('--role=proxy')) {
    const server = await startProxyServer({ port: 0 });
    process.send?.({ url: server.url });
    return;
  }
  const target = await child(['-e', TARGET]);
  const proxyProc = await child([...process.execArgv, fileURLToPath(import.meta.url), '--role=proxy']);
  let real: RealToxiproxy | undefined;
  const stop = async () => {
    target.child.kill();
    proxyProc.child.kill();
    await real?.close();
  };
  // Interrupted (Ctrl-C, kill): the children are stopped before the bench exits.
  const onSignal = (signal: NodeJS.Signals) => void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const subjects: Subject[] = [{ name: 'built-in', api: String(proxyProc.message.url) }];
    if (REAL.toxiproxyServer) {
      real = await startRealToxiproxy();
      subjects.push({ name: 'real Toxiproxy', api: real.url });
      console.log(`real Toxiproxy: ${toolVersion('toxiproxy-server')?.split('\n')[0] ?? 'version unknown'} (${REAL.toxiproxyServer}), API ${real.url}`);
    } else {
      console.log('toxiproxy-server was not found on PATH: the real Toxiproxy side is skipped (built-in only)');
    }
    await run(subjects, { http: Number(target.message.http), source: Number(target.message.source) });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await stop();
  }
}

async function run(subjects: Subject[], target: { http: number; source: number }): Promise<void> {
  const ports = [];
  for (const s of subjects) ports.push({ http: await createProxy(s.api, 'http', target.http), bulk: await createProxy(s.api, 'bulk', target.source) });
  console.log(`faultline proxy benchmark${quick ? ' (--quick)' : ''}: ${RATE_PER_S} req/s keep-alive HTTP for ${HTTP_S} s per case`);

  const plain = await httpLoad(target.http);
  // Reference for the latency toxic: the same load shape (100 requests in flight) with the
  // server itself answering 100 ms late, direct: this client's own tail at that concurrency.
  const slow = await httpLoad(target.http, '/slow');
  const idle: LoadResult[] = [];
  const delayed: LoadResult[] = [];
  for (const p of ports) idle.push(await httpLoad(p.http));
  for (const [i, s] of subjects.entries()) {
    await call(s.api, 'POST', '/proxies/http/toxics', { type: 'latency', attributes: { latency: 100 } });
    delayed.push(await httpLoad(ports[i]!.http));
    await call(s.api, 'DELETE', '/proxies/http/toxics/latency_downstream');
  }
  const row = (label: string, r: LoadResult, base?: LoadResult) => {
    const added = base ? `   added p50 ${ms(r.p50Us - base.p50Us)}  p99 ${ms(r.p99Us - base.p99Us)}` : '';
    console.log(`  ${label.padEnd(38)} n=${String(r.count).padEnd(6)} errors=${r.errors}  p50 ${ms(r.p50Us)}  p99 ${ms(r.p99Us)}  max ${ms(r.maxUs)}${added}`);
  };
  row('direct', plain);
  row('direct, server +100 ms', slow, plain);
  subjects.forEach((s, i) => row(`${s.name}, no toxic`, idle[i]!, plain));
  subjects.forEach((s, i) => row(`${s.name}, latency 100 ms`, delayed[i]!, plain));
  const addedRatio = (rs: LoadResult[], key: 'p50Us' | 'p99Us') => ratio(rs[0]![key] - plain[key], rs[1]![key] - plain[key]);
  if (subjects.length > 1) {
    console.log(`  added latency, ratio built-in/real: no toxic p50 ${addedRatio(idle, 'p50Us')}, p99 ${addedRatio(idle, 'p99Us')}; latency 100 ms p50 ${addedRatio(delayed, 'p50Us')}, p99 ${addedRatio(delayed, 'p99Us')}`);
  }

  // Interleaved runs, median reported: other processes on a shared machine come and go.
  const direct: number[] = [];
  const through: number[][] = subjects.map(() => []);
  for (let i = 0; i < BULK_RUNS; i++) {
    direct.push(mbps(await bulk(target.source, BULK_BYTES)));
    for (const [j, p] of ports.entries()) through[j]!.push(mbps(await bulk(p.bulk, BULK_BYTES)));
  }
  const runs = (xs: number[]) => `median ${median(xs).toFixed(0)} MB/s (${xs.map((x) => x.toFixed(0)).join(', ')})`;
  console.log(`  bulk, one connection, ${BULK_BYTES / 2 ** 20} MiB x ${BULK_RUNS}: direct ${runs(direct)}`);
  subjects.forEach((s, i) => console.log(`    through ${s.name}: ${runs(through[i]!)}`));
  if (subjects.length > 1) console.log(`    ratio built-in/real (medians): ${ratio(median(through[0]!), median(through[1]!))}`);

  const achieved: number[] = [];
  for (const [i, s] of subjects.entries()) {
    await call(s.api, 'POST', '/proxies/bulk/toxics', { type: 'bandwidth', attributes: { rate: BANDWIDTH_KBPS } });
    const limited = await bulk(ports[i]!.bulk, BANDWIDTH_BYTES);
    const achievedKBps = BANDWIDTH_BYTES / 1000 / (limited.ms / 1000);
    const errorPct = ((achievedKBps - BANDWIDTH_KBPS) / BANDWIDTH_KBPS) * 100;
    achieved.push(achievedKBps);
    console.log(`  bandwidth toxic ${BANDWIDTH_KBPS} KB/s, ${BANDWIDTH_BYTES / 2 ** 20} MiB, ${s.name}: ${(limited.ms / 1000).toFixed(2)} s, achieved ${achievedKBps.toFixed(1)} KB/s (${errorPct >= 0 ? '+' : ''}${errorPct.toFixed(1)}%)`);
  }
  if (subjects.length > 1) console.log(`    ratio built-in/real (achieved KB/s): ${ratio(achieved[0]!, achieved[1]!, 3)}`);
}

interface LoadResult { count: number; errors: number; p50Us: number; p99Us: number; maxUs: number }

/**
 * Open-model load: RATE_PER_S GET requests per second on keep-alive connections for HTTP_S
 * seconds. Latency is from the moment a request is sent to the end of its response, in
 * microseconds: what the proxy adds is the difference between the cases, and this client's
 * own scheduling lag (large on a busy machine) is left out of both.
 */
async function httpLoad(port: number, path = '/'): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 400 });
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let errors = 0;
  let sent = 0;
  let done = 0;
  const total = RATE_PER_S * HTTP_S;
  await warmUp(port, agent);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const send = () => {
      const sentMs = performance.now();
      request({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          histogram.recordValue(Math.round((performance.now() - sentMs) * 1000));
          if (++done === total) resolve();
        });
      }).on('error', () => { errors++; if (++done === total) resolve(); }).end();
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * RATE_PER_S) / 1000));
      for (; sent < due; sent++) send();
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const result = { count: histogram.totalCount, errors, p50Us: histogram.getValueAtPercentile(50), p99Us: histogram.getValueAtPercentile(99), maxUs: histogram.maxValue };
  histogram.destroy();
  return result;
}

async function warmUp(port: number, agent: Agent): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await new Promise<void>((resolve) => request({ host: '127.0.0.1', port, path: '/', agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', () => resolve()).end());
  }
}

/** Downloads `bytes` from the source through `port` on one connection. */
function bulk(port: number, bytes: number): Promise<{ bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    let got = 0;
    const start = performance.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(`${bytes}\n`));
    socket.on('data', (chunk: Buffer) => { got += chunk.length; });
    socket.on('end', () => {
      socket.destroy();
      if (got === bytes) resolve({ bytes, ms: performance.now() - start });
      else reject(new Error(`bulk: got ${got} of ${bytes} bytes`));
    });
    socket.on('error', reject);
  });
}

async function createProxy(api: string, name: string, upstreamPort: number): Promise<number> {
  const answer = (await call(api, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` })) as { listen: string };
  return Number(answer.listen.slice(answer.listen.lastIndexOf(':') + 1));
}

async function call(api: string, method: string, path: string, body?: object): Promise<unknown> {
  const res = await fetch(api + path, { method, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

const ms = (us: number) => `${(us / 1000).toFixed(3)} ms`.padStart(11);
const mbps = (r: { bytes: number; ms: number }) => r.bytes / 1e6 / (r.ms / 1000);
/** a / b, or n/a when b is not positive (a proxy adding nothing measurable). */
const ratio = (a: number, b: number, digits = 2) => (b > 0 ? (a / b).toFixed(digits) : 'n/a');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

await main();

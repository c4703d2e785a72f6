// Analysis throughput and memory: `node --import tsx scripts/bench/analyze.ts [--quick]`.
// Generates k6 --out json samples (every metric line k6 writes per request, as in the real
// recording) at 1000 req/s with a fault in the middle, gzips them, and analyses them in a
// child process per file so each peak RSS is measured alone. Targets: >= 500 000 lines/s;
// peak RSS < 300 MB and about the same for 10 and 40 minutes of samples.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { analyzeRun } from '../../lib/analysis/index.ts';
import { eventsFile, isoNs, k6JsonRequest, T0_MS } from '../../test/analysis/synthetic.ts';

const RATE_PER_S = 1000;

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await main(process.argv.includes('--quick'));

async function main(quick: boolean): Promise<void> {
  const minutes = quick ? [1, 4] : [10, 40];
  const dir = await mkdtemp(join(tmpdir(), 'faultline-bench-'));
  try {
    console.log(`faultline analysis benchmark: ${RATE_PER_S} req/s, k6 JSON gzip, node ${process.version}${quick ? ' (quick)' : ''}`);
    const rows: string[] = [];
    for (const m of minutes) {
      const samples = join(dir, `samples-${m}m.json.gz`);
      const events = join(dir, `events-${m}m.json`);
      const started = performance.now();
      const lines = await generate(samples, m * 60);
      const faultMs = (m * 60_000) / 2;
      await writeFile(events, JSON.stringify(eventsFile([{ edge: 'on', proxy: 'store', atMs: faultMs }, { edge: 'off', proxy: 'store', atMs: faultMs + 30_000 }])));
      const size = (await stat(samples)).size;
      console.log(`generated ${m} min: ${lines.toLocaleString('en')} lines, ${(size / 1e6).toFixed(1)} MB gzip, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const r = await runChild(samples, events);
      const rate = r.lines / (r.wallMs / 1000);
      rows.push(`${String(m).padStart(3)} min  ${r.lines.toLocaleString('en').padStart(12)} lines  ${(r.wallMs / 1000).toFixed(1).padStart(6)} s  ${Math.round(rate).toLocaleString('en').padStart(10)} lines/s  peak RSS ${(r.maxRssKb / 1024).toFixed(0).padStart(4)} MB  (${r.requests.toLocaleString('en')} requests, p99 ${r.p99} ms, recovery ${r.recoveryMs} ms)`);
      await rm(samples);
    }
    console.log('\nanalysis (one child process per file; wall time = analyzeRun: gunzip, parse, windows, summary):');
    for (const row of rows) console.log(row);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** k6-format samples: 14 lines per request plus vus/vus_max per second; 1% errors; a fault (+errors, +latency) mid-run. */
async function generate(file: string, seconds: number): Promise<number> {
  const gzip = createGzip({ level: 1 });
  const done = new Promise<void>((resolve, reject) => gzip.pipe(createWriteStream(file)).on('finish', resolve).on('error', reject));
  const faultFromMs = (seconds * 1000) / 2;
  const faultToMs = faultFromMs + 30_000;
  let lines = 0;
  for (let s = 0; s < seconds; s++) {
    const chunk: string[] = [];
    for (let i = 0; i < RATE_PER_S; i++) {
      const sendMs = s * 1000 + i;
      const inFault = sendMs >= faultFromMs && sendMs < faultToMs + 1500;
      const durationMs = inFault ? 80 + (i % 40) : 1.5 + (i % 17) * 0.1;
      chunk.push(k6JsonRequest(T0_MS, { sendMs, durationMs, failed: inFault ? i % 5 === 0 : i % 100 === 0 }));
    }
    const tick = isoNs(T0_MS + (s + 1) * 1000);
    chunk.push(`{"metric":"vus","type":"Point","data":{"time":"${tick}","value":3,"tags":null}}`);
    chunk.push(`{"metric":"vus_max","type":"Point","data":{"time":"${tick}","value":50,"tags":null}}`);
    lines += RATE_PER_S * 14 + 2;
    if (!gzip.write(`${chunk.join('\n')}\n`)) await new Promise((r) => gzip.once('drain', r));
  }
  gzip.end();
  await done;
  return lines;
}

interface ChildResult { lines: number; wallMs: number; maxRssKb: number; requests: number; p99: number; recoveryMs: number | null }

function runChild(samples: string, events: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const c = spawn(process.execPath, ['--import', 'tsx', script, '--child', samples, events], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => { out += d; });
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`analysis child exited ${code}`))));
  });
}

async function child(samples: string, events: string): Promise<void> {
  const started = performance.now();
  const { summary } = await analyzeRun({ samplesFile: samples, eventsFile: events });
  const wallMs = performance.now() - started;
  const result: ChildResult = {
    lines: summary.inputs?.[0]?.lines ?? 0, wallMs, maxRssKb: process.resourceUsage().maxRSS,
    requests: summary.load.requests, p99: summary.overall.p99, recoveryMs: summary.transitions[1]?.recoveryTimeMs ?? null,
  };
  process.stdout.write(JSON.stringify(result));
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { runLoad } from '../../lib/engine/index.ts';
import { writeMillis, writeRfc3339Nano } from '../../lib/engine/ascii.ts';
import { startCountingServer } from '../helpers/net.ts';
import { ChunkWriter } from '../../lib/engine/chunk-writer.ts';
import { K6JsonOutput } from '../../lib/engine/k6-json-output.ts';
import type { RequestSample } from '../../lib/engine/samples.ts';
import { seeded } from '../helpers/random.ts';
import { points, readSamples, samplesPath, scenarioFor, type K6Line } from './support.ts';

// faultline's samples against a file a real k6 (v0.49) wrote for the same script and server
// (../fixtures/k6/README.md: every 10th answer 503, every 97th connection closed).
const RECORDED = fileURLToPath(new URL('../fixtures/k6/run-with-errors.json.gz', import.meta.url));
const scratch = Buffer.alloc(64);
const rfc3339Nano = (epochMs: number) => scratch.toString('latin1', 0, writeRfc3339Nano(scratch, 0, epochMs));
const millisText = (ms: number) => scratch.toString('latin1', 0, writeMillis(scratch, 0, ms));
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/;

test('rfc3339Nano writes Go RFC3339Nano: UTC, fraction without trailing zeros', () => {
  const second = Date.UTC(2026, 10, 24, 15, 3, 7);
  assert.equal(rfc3339Nano(second), '2026-11-24T15:03:07Z');
  assert.equal(rfc3339Nano(second + 474.5), '2026-11-24T15:03:07.4745Z');
  assert.equal(rfc3339Nano(second + 0.25), '2026-11-24T15:03:07.00025Z');
  // Against the Date-based spelling, for the millisecond part, over a spread of times.
  for (let i = 0; i < 2000; i++) {
    const ms = second + Math.floor(Math.random() * 86_400_000);
    assert.equal(rfc3339Nano(ms), new Date(ms).toISOString().replace(/\.?0*Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z'));
  }
});

test('millisecond values are written as String(Math.round(v * 1e6) / 1e6) would print them', () => {
  const values = [0, 1, 0.5, 1e-6, 4e-7, 6e-7, 123.456789, 2089.66, 30_000, 0.000999, 1234567.8901234];
  for (let i = 0; i < 20_000; i++) values.push(Math.random() * 10 ** Math.floor(Math.random() * 8 - 3));
  for (const v of values) assert.equal(millisText(v), String(Math.round(v * 1e6) / 1e6), `value ${v}`);
  assert.equal(millisText(-2.5), '-2.5');
});

test('the samples parse back line by line and have the shape of a real k6 file', async () => {
  let n = 0;
  const server = await startCountingServer((req, res) => {
    n++;
    if (n % 10 === 0) { res.statusCode = 503; return void res.end('unavailable'); }
    if (n % 97 === 0) return void req.socket.destroy();
    setTimeout(() => res.end('{"ok":true}'), 2);
  });
  try {
    const file = await samplesPath();
    const scenario = scenarioFor(server.url, { executor: 'constant-arrival-rate', rate: 200, duration: '1s', maxVUs: 200 },
      { slo: { http_req_failed: 'rate<0.5', 'http_req_duration{name:verify}': 'p(99)<500' } });
    await runLoad({ scenario, samplesFile: file });
    const ours = readSamples(file);
    const k6 = readSamples(RECORDED);
    assertWellFormed(ours);
    assertWellFormed(k6);

    // Same Metric declarations (name, type, contains, thresholds, submetrics) for every k6 metric.
    const decl = (lines: K6Line[]) => new Map(lines.filter((l) => l.type === 'Metric').map((l) => [l.metric, l.data]));
    const ourDecl = decl(ours);
    for (const [name, data] of decl(k6)) assert.deepEqual(ourDecl.get(name), data, `Metric line of ${name}`);

    // Same tag keys and key order, per metric and kind of outcome (200, 503, connection closed).
    const shapes = (lines: K6Line[]) => new Set(lines.filter((l) => l.type === 'Point' && !['vus', 'vus_max'].includes(l.metric))
      .map((l) => `${l.metric} ${Object.keys(l).join()} ${Object.keys(l.data).join()} ${Object.keys(l.data.tags!).join()} ${l.data.tags!.status ?? ''}`));
    const ourShapes = shapes(ours);
    for (const shape of shapes(k6)) assert.ok(ourShapes.has(shape), `k6 writes "${shape}"; faultline should too`);
    const recordedMetrics = new Set(k6.map((l) => l.metric));
    // dropped_iterations is k6's too; it appears only when a busy machine made the load drop.
    const extra = [...new Set(ours.map((l) => l.metric))].filter((m) => !recordedMetrics.has(m) && m !== 'dropped_iterations').sort();
    assert.deepEqual(extra, ['faultline_intended_latency', 'faultline_scheduler_lag_max']);

    // Every HTTP point of one request carries the request's end time; intended latency >= duration.
    const reqs = ours.filter((l) => l.type === 'Point' && l.metric === 'http_reqs');
    const durations = ours.filter((l) => l.type === 'Point' && l.metric === 'http_req_duration');
    const intended = ours.filter((l) => l.type === 'Point' && l.metric === 'faultline_intended_latency');
    assert.equal(reqs.length + ours.filter((l) => l.type === 'Point' && l.metric === 'dropped_iterations').length, 201);
    reqs.forEach((r, i) => {
      assert.equal(durations[i]!.data.time, r.data.time);
      assert.ok(intended[i]!.data.value! >= durations[i]!.data.value!);
    });
  } finally {
    await server.close();
  }
});

/** Metric line once, before the metric's first point; times in RFC3339Nano. */
function assertWellFormed(lines: K6Line[]): void {
  const declared = new Set<string>();
  for (const line of lines) {
    if (line.type === 'Metric') {
      assert.ok(!declared.has(line.metric), `${line.metric} declared twice`);
      assert.equal(line.data.name, line.metric);
      declared.add(line.metric);
      continue;
    }
    assert.equal(line.type, 'Point');
    assert.ok(declared.has(line.metric), `${line.metric} point before its Metric line`);
    assert.match(line.data.time!, TIME);
    assert.equal(typeof line.data.value, 'number');
  }
}

test('every sample survives the chunked, gzip-compressed writer exactly, across many chunks', async () => {
  const file = await samplesPath();
  const out = new K6JsonOutput(await ChunkWriter.open(file), {
    scenario: 'chunks', requests: [{ name: 'get', method: 'GET', hasCheck: true }, { name: 'a "quoted" näme', method: 'POST', hasCheck: false }],
  });
  const base = Date.UTC(2026, 10, 25, 12, 0, 0);
  const random = seeded(7);
  const fed: { endMs: number; durationMs: number; status: number; bytes: number }[] = [];
  // About 40 MB of lines: well over a hundred chunks, written faster than gzip takes them.
  for (let i = 0; i < 12_000; i++) {
    const failedByError = i % 97 === 0;
    const sample: RequestSample = {
      endMs: base + i * 0.37 + random(), requestIndex: i % 2, status: failedByError ? 0 : i % 10 === 0 ? 503 : 200,
      error: failedByError ? { code: 1212, message: 'dial: connection refused' } : null, expected: !failedByError && i % 10 !== 0,
      blockedMs: random(), connectingMs: 0, sendingMs: random() / 10, waitingMs: random() * 50, receivingMs: random(),
      durationMs: random() * 60, intendedMs: 60 + random() * 100, iterationMs: random() * 61, bytesSent: 100 + i, bytesReceived: 200 + i,
      statusCheck: i % 10 !== 0, userCheck: i % 2 === 0 ? i % 3 === 0 : null,
    };
    fed.push({ endMs: sample.endMs, durationMs: sample.durationMs, status: sample.status, bytes: sample.bytesReceived });
    out.request(sample);
  }
  await out.close();

  const lines = readSamples(file);
  const reqs = points(lines, 'http_reqs');
  const durations = points(lines, 'http_req_duration');
  const received = points(lines, 'data_received');
  assert.equal(reqs.length, fed.length);
  fed.forEach((f, i) => {
    assert.equal(reqs[i]!.data.time, rfc3339Nano(f.endMs), `time of request ${i}`);
    assert.equal(durations[i]!.data.value, Math.round(f.durationMs * 1e6) / 1e6, `duration of request ${i}`);
    assert.equal(reqs[i]!.data.tags!.status, String(f.status));
    assert.equal(received[i]!.data.value, f.bytes);
  });
  assert.equal(points(lines, 'checks').length, fed.length + fed.filter((_, i) => i % 2 === 0).length);
  assert.equal(reqs[1]!.data.tags!.name, 'a "quoted" näme');
});

test('flush() makes every sample so far readable from the file while it is still open (as a kill leaves it); closed, the file is one valid gzip stream', async () => {
  const file = await samplesPath();
  const out = new K6JsonOutput(await ChunkWriter.open(file), { scenario: 'flush', requests: [{ name: 'get', method: 'GET', hasCheck: false }] });
  const base = Date.UTC(2026, 11, 3, 12, 0, 0);
  const sample = (i: number): RequestSample => ({
    endMs: base + i, requestIndex: 0, status: 200, error: null, expected: true, blockedMs: 0, connectingMs: 0, sendingMs: 0.01,
    waitingMs: 1, receivingMs: 0.02, durationMs: 1.03, intendedMs: 1.1, iterationMs: 1.05, bytesSent: 80, bytesReceived: 120, statusCheck: true, userCheck: null,
  });
  // Fewer than a chunk's worth: without flush() they would stay in memory.
  for (let i = 0; i < 300; i++) out.request(sample(i));
  out.flush();
  const readable = async () => {
    const gunzip = createGunzip();
    const parts: Buffer[] = [];
    gunzip.on('data', (d: Buffer) => parts.push(d));
    const ended = await new Promise<string>((resolve) => {
      gunzip.on('end', () => resolve('end'));
      gunzip.on('error', (e: Error) => resolve(e.message));
      gunzip.end(readFileSync(file));
    });
    return { ended, requests: Buffer.concat(parts).toString('utf8').split('\n').filter((l) => l.startsWith('{"metric":"http_reqs"')).length };
  };
  let seen = await readable();
  for (let tries = 0; seen.requests < 300 && tries < 200; tries++) {
    await new Promise((r) => setTimeout(r, 10));
    seen = await readable();
  }
  assert.deepEqual(seen, { ended: 'unexpected end of file', requests: 300 });
  for (let i = 300; i < 500; i++) out.request(sample(i));
  out.flush();
  out.flush(); // while one is under way: skipped, harmlessly
  await out.close();
  assert.equal(points(readSamples(file), 'http_reqs').length, 500);
});


import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runLoad, type LoadResult } from '../../lib/engine/index.ts';
import { startCountingServer } from '../helpers/net.ts';
import { points, readSamples, samplesPath, scenarioFor } from './support.ts';

const CHILD = fileURLToPath(new URL('./fixtures/hanging-load.ts', import.meta.url));

test('the process exits on its own at duration + gracefulStop, even when the target never answers', async () => {
  const server = await startCountingServer(() => {});
  try {
    const file = await samplesPath();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, server.url, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let startedAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (!startedAt && out.includes('started\n')) startedAt = performance.now();
    });
    const [code] = await new Promise<[number | null]>((resolve) => child.on('close', (c) => resolve([c])));
    const tookMs = performance.now() - startedAt;
    assert.equal(code, 0);
    assert.ok(tookMs > 1400 && tookMs < 3000, `exited ${tookMs.toFixed(0)} ms after t0, expected about 1500`);
    const result = JSON.parse(out.split('\n')[1]!) as LoadResult;
    assert.equal(result.sent, 11);
    assert.equal(result.interrupted, 11, 'still in flight when gracefulStop ran out');
    assert.equal(result.completed, 0);
    assert.ok(readSamples(file).length > 0, 'a complete gzip file (gunzip would throw on a truncated one)');
  } finally {
    await server.close();
  }
});

test('an abort stops the load at once and still writes a complete samples file', async () => {
  const server = await startCountingServer((req, res) => { if (req.url !== '/verify' || Math.random() < 0.5) res.end('ok'); });
  try {
    const file = await samplesPath();
    const scenario = scenarioFor(server.url, { executor: 'constant-arrival-rate', rate: 100, duration: '10s' });
    const stop = new AbortController();
    let abortedAt = 0;
    let t0 = 0;
    setTimeout(() => { abortedAt = performance.timeOrigin + performance.now(); stop.abort('test'); }, 500);
    const result = await runLoad({ scenario, samplesFile: file, signal: stop.signal, onStart: (t) => { t0 = t; } });
    const returnedAt = performance.timeOrigin + performance.now();
    assert.ok(returnedAt - abortedAt < 1000, `returned ${returnedAt - abortedAt} ms after the abort`);
    assert.equal(result.aborted, true);
    // 100/s until the abort: nothing started after it.
    const dueBeforeAbort = Math.ceil((abortedAt - t0) / 10);
    assert.ok(result.sent + result.dropped <= dueBeforeAbort + 1 && result.sent >= 10, `sent ${result.sent} of ${dueBeforeAbort} due`);
    assert.equal(result.completed + result.interrupted, result.sent);
    assert.ok(result.interrupted > 0);
    // Requests cut by the abort may never reach the server.
    assert.ok(server.arrivals.length <= result.sent && server.arrivals.length >= result.completed);
    assert.equal(points(readSamples(file), 'http_reqs').length, result.completed);
  } finally {
    await server.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { RunFailedError } from '../../lib/errors.ts';
import { runK6 } from '../../lib/k6/index.ts';
import { startHttpServer } from '../helpers/net.ts';

// These tests drive a STAND-IN for k6 (test/fixtures/k6-standin/k6) that answers k6's REST
// API and exits the way a real k6 v0.49 was recorded to. They test faultline's process
// handling; a real k6 was not run here.
const STANDIN = fileURLToPath(new URL('../fixtures/k6-standin/k6', import.meta.url));

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-k6run-'));
  let arrivals = 0;
  const target = await startHttpServer((_req, res) => { arrivals++; res.end('ok'); });
  return { dir, target, arrivals: () => arrivals, log: join(dir, 'standin.log'), samples: join(dir, 'samples.json.gz') };
}

const readLog = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { event: any; at: number });

test('starts k6 paused with the REST API on a free port, resumes it, and reports t0 at the acknowledgement', async () => {
  const s = await setup();
  let t0Seen = 0;
  const before = Date.now();
  const result = await runK6({
    k6Path: STANDIN, bundleFile: 'dist/smoke.js', samplesFile: s.samples,
    env: { TARGET_URL: s.target.url, STANDIN_LOG: s.log, STANDIN_DURATION_MS: '300' },
    onStart: (t0) => { t0Seen = t0; },
  });
  await s.target.close();
  assert.equal(result.exitCode, 0);
  assert.equal(result.completed, true);
  assert.equal(result.outcome, 'exit 0: finished');
  assert.equal(result.t0, t0Seen);
  const log = await readLog(s.log);
  const args = log[0]!.event.args as string[];
  assert.deepEqual(args.slice(0, 2), ['run', '--paused']);
  assert.match(args[3]!, /^127\.0\.0\.1:\d+$/);
  assert.deepEqual(args.slice(4), ['--out', `json=${s.samples}`, 'dist/smoke.js']);
  assert.equal(log[0]!.event.TARGET_URL, s.target.url);
  const resumedAt = log.find((l) => l.event === 'resumed')!.at;
  // t0 is taken when k6's answer to the resume arrives: after k6 handled it, and soon after.
  assert.ok(resumedAt >= before && resumedAt <= result.t0 + 1 && result.t0 - resumedAt < 1000, `t0 ${result.t0} vs resume ${resumedAt}`);
  // The traffic went to TARGET_URL, and the samples file is complete gzip.
  assert.ok(s.arrivals() > 5);
  const lines = gunzipSync(await readFile(s.samples)).toString().trim().split('\n');
  const recorded = lines.filter((l) => l.includes('"http_reqs","type":"Point"')).length;
  // Requests still in flight when the run ended reached the target but have no sample.
  assert.ok(recorded > 0 && recorded <= s.arrivals(), `${recorded} samples, ${s.arrivals()} arrivals`);
});

test('an abort stops k6 through its REST API (exit 103) and keeps the samples', async () => {
  const s = await setup();
  const controller = new AbortController();
  const result = await runK6({
    k6Path: STANDIN, bundleFile: 'b.js', samplesFile: s.samples, signal: controller.signal,
    env: { TARGET_URL: s.target.url, STANDIN_LOG: s.log, STANDIN_DURATION_MS: '10000' },
    onStart: () => setTimeout(() => controller.abort(), 200),
  });
  await s.target.close();
  assert.equal(result.exitCode, 103);
  assert.equal(result.completed, false);
  assert.equal(result.outcome, 'exit 103: stopped from the REST API');
  assert.ok((await readLog(s.log)).some((l) => l.event === 'stopped'));
  assert.ok(gunzipSync(await readFile(s.samples)).length > 0);
});

test('a k6 that fails before the load starts is a RunFailedError with its exit meaning', async () => {
  const s = await setup();
  await assert.rejects(
    runK6({ k6Path: STANDIN, bundleFile: 'b.js', samplesFile: s.samples, env: { STANDIN_EXIT: '107', TARGET_URL: s.target.url } }),
    (error: unknown) => error instanceof RunFailedError && /exit 107: script exception/.test(error.message) && /SyntaxError/.test(error.message),
  );
  await assert.rejects(
    runK6({ k6Path: join(s.dir, 'no-such-k6'), bundleFile: 'b.js', samplesFile: s.samples }),
    (error: unknown) => error instanceof RunFailedError && /cannot start k6/.test(error.message),
  );
  await s.target.close();
});

test('while k6 runs, its REST API totals become one-second windows for the guardrails', async () => {
  let n = 0;
  const target = await startHttpServer((_req, res) => { res.statusCode = n++ % 4 === 0 ? 503 : 200; res.end(); });
  const dir = await mkdtemp(join(tmpdir(), 'faultline-k6win-'));
  const windows: { requests: number; errors: number }[] = [];
  const result = await runK6({
    k6Path: STANDIN, bundleFile: 'b.js', samplesFile: join(dir, 's.json.gz'),
    env: { TARGET_URL: target.url, STANDIN_DURATION_MS: '2600' },
    onWindow: (w) => windows.push(w),
  });
  await target.close();
  assert.equal(result.exitCode, 0);
  assert.ok(windows.length >= 2, `${windows.length} windows`);
  const requests = windows.reduce((s, w) => s + w.requests, 0);
  const errors = windows.reduce((s, w) => s + w.errors, 0);
  assert.ok(requests > 50 && requests <= n, `${requests} requests in windows, ${n} served`);
  assert.ok(Math.abs(errors / requests - 0.25) < 0.05, `error share ${errors}/${requests}`);
});

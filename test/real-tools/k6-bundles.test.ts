import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { k6InspectOutput } from '../../lib/k6/index.ts';
import { loadScenario } from '../../lib/scenario/index.ts';
import { parseDurationMs } from '../../lib/scenario/duration.ts';
import { runCli } from '../helpers/cli.ts';
import { startCountingServerThread } from '../helpers/net.ts';
import { needs, REAL } from '../helpers/real-tools.ts';

// Every shipped scenario, bundled as a user would (`faultline build`, plain and
// --timeline-in-k6), is read by the real k6: `k6 inspect` parses and evaluates the script,
// so a syntax k6 does not accept (object spread, `?.`: exit 107) fails here. Node loading
// the bundle would prove nothing about k6's parser.

const run = promisify(execFile);
const SCENARIOS = new URL('../../scenarios/', import.meta.url).pathname;
const shipped = (await readdir(SCENARIOS)).filter((f) => f.endsWith('.ts')).sort();
/** Scenarios whose timeline acts on processes: a --timeline-in-k6 bundle cannot (build refuses them; test/run/process-faults.test.ts). */
const PROCESS_SCENARIOS = ['store-paused.ts', 'store-restart.ts'];

/** k6 prints durations Go-style (`1m0s`): compare them in ms. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, normalise(v)]));
  }
  if (typeof value === 'string' && /^(\d+(\.\d+)?(h|m|s|ms))+$/.test(value)) return parseDurationMs(value.replace(/(\d)m(\d)/g, '$1m$2')) ?? value;
  return value;
}

const k6Inspect = async (file: string) => JSON.parse((await run(REAL.k6!, ['inspect', file], { timeout: 30_000 })).stdout) as { scenarios: unknown; thresholds: unknown };

test('the real k6 inspects every shipped scenario bundle, plain and --timeline-in-k6, as `faultline inspect` says', { skip: needs('k6') }, async () => {
  const out = await mkdtemp(join(tmpdir(), 'faultline-k6-bundles-'));
  const files = shipped.map((f) => join(SCENARIOS, f));
  const plain = await runCli(['build', ...files, '--out-dir', join(out, 'plain')]);
  assert.equal(plain.code, 0, plain.stderr);
  const networkOnly = files.filter((f) => !PROCESS_SCENARIOS.some((p) => f.endsWith(`/${p}`)));
  assert.equal(networkOnly.length, files.length - PROCESS_SCENARIOS.length, 'the process scenarios are shipped');
  const withTimeline = await runCli(['build', ...networkOnly, '--out-dir', join(out, 'timeline'), '--timeline-in-k6']);
  assert.equal(withTimeline.code, 0, withTimeline.stderr);
  const bundles = (await readdir(join(out, 'plain'))).filter((f) => f.endsWith('.js')).sort();
  assert.equal(bundles.length, shipped.length);
  await Promise.all(bundles.map(async (bundle) => {
    const { scenario } = await loadScenario(join(SCENARIOS, bundle.replace(/\.js$/, '.ts')), { env: {} });
    const expected = k6InspectOutput(scenario.definition);
    const k6 = await k6Inspect(join(out, 'plain', bundle));
    assert.deepEqual(normalise(k6.scenarios), normalise(expected.scenarios), `${bundle}: k6's scenarios`);
    assert.deepEqual(normalise(k6.thresholds), normalise(expected.thresholds), `${bundle}: k6's thresholds`);
    if (PROCESS_SCENARIOS.includes(bundle.replace(/\.js$/, '.ts'))) return;
    const timed = await k6Inspect(join(out, 'timeline', bundle));
    assert.ok(timed.scenarios && typeof timed.scenarios === 'object' && 'faultline_timeline' in timed.scenarios, `${bundle} --timeline-in-k6 has the timeline scenario`);
  }));
});

test('the real k6 runs a shipped bundle: smoke at 200 req/s for 2 s reaches the target 400-401 times', { skip: needs('k6') }, async () => {
  const out = await mkdtemp(join(tmpdir(), 'faultline-k6-run-'));
  const built = await runCli(['build', join(SCENARIOS, 'smoke.ts'), '--out-dir', out]);
  assert.equal(built.code, 0, built.stderr);
  const target = await startCountingServerThread();
  try {
    const env = { ...process.env, TARGET_URL: `http://127.0.0.1:${target.port}`, FAULTLINE_RATE: '200', FAULTLINE_DURATION_MS: '2000', K6_NO_USAGE_REPORT: 'true' };
    const k6 = await run(REAL.k6!, ['run', '--quiet', '--no-summary', join(out, 'smoke.js')], { env, timeout: 60_000 });
    assert.equal(k6.stderr.includes('SyntaxError'), false, k6.stderr);
    // constant-arrival-rate: rate x duration + 1 iterations, one request each (k6 sometimes
    // does not start the one due at the very end).
    assert.ok([400, 401].includes(target.arrivals.length), `${target.arrivals.length} requests`);
  } finally {
    await target.close();
  }
});

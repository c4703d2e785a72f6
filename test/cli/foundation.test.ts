import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SMOKE = join(ROOT, 'scenarios/smoke.ts');

test('--version prints the package version; --help lists the commands', async () => {
  const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  const v = await runCli(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout.trim(), version);
  const h = await runCli(['--help']);
  assert.equal(h.code, 0);
  for (const command of ['validate', 'build', 'inspect']) assert.match(h.stdout, new RegExp(`\\n  ${command} `));
  const sub = await runCli(['build', '--help']);
  assert.equal(sub.code, 0);
  assert.match(sub.stdout, /--out-dir <dir>/);
});

test('usage errors exit 2', async () => {
  assert.equal((await runCli(['no-such-command'])).code, 2);
  assert.equal((await runCli(['validate'])).code, 2);
  assert.equal((await runCli(['build', SMOKE, '--no-such-option'])).code, 2);
});

test('validate: a good scenario exits 0, a bad one exits 2 naming every field', async () => {
  const ok = await runCli(['validate', SMOKE]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /ok .*smoke\.ts: smoke/);
  const dir = await mkdtemp(join(tmpdir(), 'faultline-cli-'));
  const bad = join(dir, 'bad.ts');
  await writeFile(bad, `import { defineScenario, down } from 'faultline';
export default defineScenario({ name: 'bad', target: { baseUrl: 'http://127.0.0.1:1' },
  load: { executor: 'constant-arrival-rate', rate: 0, duration: '10s' },
  requests: [{ name: 'a', path: '/' }],
  timeline: [{ at: '1s', proxy: 'store', fault: down() }] } as any);
`);
  const result = await runCli(['validate', bad]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /load\.rate: got 0, expected a rate above 0/);
  const missing = await runCli(['validate', join(dir, 'missing.ts')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing\.ts: expected a readable scenario file/);
});

test('build writes one bundle per scenario into --out-dir', async () => {
  const out = await mkdtemp(join(tmpdir(), 'faultline-dist-'));
  const scenarios = (await readdir(join(ROOT, 'scenarios'))).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, 'scenarios', f));
  const result = await runCli(['build', ...scenarios, '--out-dir', out]);
  assert.equal(result.code, 0, result.stderr);
  const written = (await readdir(out)).sort();
  assert.equal(written.length, scenarios.length);
  assert.ok(written.includes('smoke.js'));
  assert.deepEqual(result.stdout.trim().split('\n').map((l) => l.split('/').pop()).sort(), written);
});

test('inspect prints the k6 options in k6 inspect\'s shape', async () => {
  const result = await runCli(['inspect', SMOKE]);
  assert.equal(result.code, 0, result.stderr);
  const options = JSON.parse(result.stdout);
  const recorded = JSON.parse(await readFile(join(ROOT, 'test/fixtures/k6/run-with-errors.inspect.json'), 'utf8'));
  assert.deepEqual(Object.keys(options).sort(), Object.keys(recorded).sort());
  assert.deepEqual(options.scenarios.smoke, {
    // gracefulStop: k6's default, written out by the one resolution both engines share.
    executor: 'constant-arrival-rate', startTime: null, gracefulStop: '30s', env: null, exec: null, tags: null,
    rate: 1000, timeUnit: '1s', duration: '30s', preAllocatedVUs: 50, maxVUs: 500,
  });
  assert.deepEqual(options.thresholds['http_req_duration{name:verify}'], ['p(99)<250']);
});

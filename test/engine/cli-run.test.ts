import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { freeListenPort, startCountingServer } from '../helpers/net.ts';
import { points, readSamples } from './support.ts';

// `faultline run` as a user runs it: a separate process, exit codes and output.

async function scenarioFile(load: string): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-run-'));
  const file = join(dir, 'tiny.ts');
  await writeFile(file, `import { defineScenario } from 'faultline';
export default defineScenario({ name: 'tiny', target: { baseUrl: 'http://127.0.0.1:9' },
  load: ${load},
  requests: [{ name: 'home', path: '/' }] } as any);
`);
  return { dir, file };
}

const GOOD = `{ executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '30s', preAllocatedVUs: 5, maxVUs: 10 }`;

test('run: a good short run exits 0 and prints its run folder last', async () => {
  const server = await startCountingServer();
  try {
    const { dir, file } = await scenarioFile(GOOD);
    const out = join(dir, 'runs');
    const r = await runCli(['run', file, '--engine', 'builtin', '--duration', '1s', '--out', out], { env: { TARGET_URL: server.url } });
    assert.equal(r.code, 0, r.stderr);
    const folder = r.stdout.trim().split('\n').pop()!;
    assert.match(folder, /runs\/\d{8}T\d{6}Z-tiny$/);
    assert.deepEqual((await readdir(folder)).sort(), ['events.json', 'junit.xml', 'latency.hlog', 'report.html', 'report.md', 'run.json', 'samples.json.gz', 'scenario.json', 'summary.json']);
    assert.equal(points(readSamples(join(folder, 'samples.json.gz')), 'http_reqs').length, 51);
    assert.equal(server.arrivals.length, 52, 'the probe and 51 requests (50/s for 1 s, both ends included, as k6)');
    const run = JSON.parse(await readFile(join(folder, 'run.json'), 'utf8'));
    assert.deepEqual(run.command.slice(0, 2), ['faultline', 'run']);
    assert.equal(run.result.sent, 51);
    assert.ok(run.versions.node && run.versions.undici && run.versions.faultline);
    const scenario = JSON.parse(await readFile(join(folder, 'scenario.json'), 'utf8'));
    assert.equal(scenario.load.durationMs, 1000);
    assert.equal(r.stderr.includes('\r'), false, 'no status line when stderr is not a TTY');
  } finally {
    await server.close();
  }
});

test('run: an invalid scenario or option exits 2 and sends nothing', async () => {
  const server = await startCountingServer();
  try {
    const { file } = await scenarioFile(`{ executor: 'constant-arrival-rate', rate: 0, duration: '1s' }`);
    const bad = await runCli(['run', file], { env: { TARGET_URL: server.url } });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /load\.rate/);
    const { file: good } = await scenarioFile(GOOD);
    const badDuration = await runCli(['run', good, '--duration', 'soon'], { env: { TARGET_URL: server.url } });
    assert.equal(badDuration.code, 2);
    assert.match(badDuration.stderr, /--duration: got "soon"/);
    assert.equal((await runCli(['run', good, '--engine', 'k7'], { env: { TARGET_URL: server.url } })).code, 2);
    assert.equal(server.arrivals.length, 0);
  } finally {
    await server.close();
  }
});

test('run: an unreachable target exits 3 naming the URL', async () => {
  const { file } = await scenarioFile(GOOD);
  const url = `http://127.0.0.1:${await freeListenPort()}`;
  const r = await runCli(['run', file, '--duration', '1s'], { env: { TARGET_URL: url } });
  assert.equal(r.code, 3);
  assert.ok(r.stderr.includes(url), r.stderr);
  assert.equal(r.stdout, '');
});

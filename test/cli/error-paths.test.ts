import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { startCountingServer, type CountingServer } from '../helpers/net.ts';

// Bad input gets one clear error naming what is wrong and what was expected, exit 2, and
// nothing is sent: no request reaches the target, no run folder is made, no file is written.

const ROOT = new URL('../../', import.meta.url).pathname;
const K6_SAMPLES = join(ROOT, 'test/fixtures/k6/run-with-errors.json.gz');
const K6_SUMMARY_EXPORT = join(ROOT, 'test/fixtures/k6/run-with-errors.summary-export.json');

let dir: string;
let target: CountingServer;
let scenario: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-error-paths-'));
  target = await startCountingServer();
  scenario = await writeScenario('plain.ts', '');
});

after(async () => {
  await target.close();
  await rm(dir, { recursive: true, force: true });
});

/** A one-second scenario against the counting target; `head` goes above it (imports). */
async function writeScenario(name: string, head: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `import { defineScenario } from 'faultline';
${head}
export default defineScenario({
  name: '${name.replace(/\.ts$/, '')}', target: { baseUrl: '${target.url}' },
  load: { executor: 'constant-arrival-rate', rate: 2, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 2 },
  requests: [{ name: 'root', path: '/' }],
});
`);
  return file;
}

/** Exit 2, the problem named on stderr, no stack trace, nothing on stdout. */
function assertInvalid(result: CliResult, problem: RegExp): void {
  assert.equal(result.code, 2, `exit code (stderr: ${result.stderr})`);
  assert.match(result.stderr, problem);
  assert.doesNotMatch(result.stderr, /unexpected error|\n\s+at /, 'no stack trace');
  assert.equal(result.stdout, '');
}

/** A `faultline run` of `file` that must be refused: nothing reaches the target, no run folder. */
async function runRefused(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const out = join(dir, `runs-${Math.random().toString(36).slice(2)}`);
  const before = target.arrivals.length;
  const result = await runCli(['run', ...args, '--engine', 'builtin', ...(args.includes('--out') ? [] : ['--out', out])], { env: { TOXIPROXY_URL: undefined, ...env } });
  assert.equal(target.arrivals.length, before, 'no request reached the target');
  assert.equal(existsSync(out), false, 'no run folder');
  return result;
}

describe('--toxiproxy / TOXIPROXY_URL that is not an http(s) URL', () => {
  test('run --toxiproxy not-a-url', async () => {
    const result = await runRefused([scenario, '--toxiproxy', 'not-a-url']);
    assertInvalid(result, /--toxiproxy: got "not-a-url", expected an http\(s\) URL such as http:\/\/127\.0\.0\.1:8474/);
  });

  test('run with TOXIPROXY_URL=nope', async () => {
    const result = await runRefused([scenario], { TOXIPROXY_URL: 'nope' });
    assertInvalid(result, /TOXIPROXY_URL: got "nope", expected an http\(s\) URL/);
  });

  test('run --toxiproxy with a scheme other than http(s)', async () => {
    const result = await runRefused([scenario, '--toxiproxy', 'ftp://127.0.0.1:8474']);
    assertInvalid(result, /--toxiproxy: got "ftp:\/\/127\.0\.0\.1:8474", expected an http\(s\) URL/);
  });

  test('reset --toxiproxy not-a-url, and TOXIPROXY_URL=nope', async () => {
    assertInvalid(await runCli(['reset', '--toxiproxy', 'not-a-url']), /--toxiproxy: got "not-a-url", expected an http\(s\) URL/);
    assertInvalid(await runCli(['reset'], { env: { TOXIPROXY_URL: 'nope' } }), /TOXIPROXY_URL: got "nope", expected an http\(s\) URL/);
  });
});

describe('--out naming a file instead of a folder', () => {
  test('run --out FILE is refused before anything is sent', async () => {
    const file = join(dir, 'not-a-folder.txt');
    await writeFile(file, 'keep me\n');
    const result = await runRefused([scenario, '--out', file]);
    assertInvalid(result, /--out: got ".*not-a-folder\.txt", expected a folder/);
    assert.equal(await readFile(file, 'utf8'), 'keep me\n');
  });

  test('run --out FILE/sub (a file on the way) is refused too', async () => {
    const file = join(dir, 'on-the-way.txt');
    await writeFile(file, 'keep me\n');
    const result = await runRefused([scenario, '--out', join(file, 'runs')]);
    assertInvalid(result, /--out: got ".*on-the-way\.txt\/runs", expected a folder.*on-the-way\.txt is a file/);
  });

  test('run with the default --out (results/runs) when that is a file', async () => {
    const cwd = join(dir, 'cwd-with-a-file');
    await mkdir(join(cwd, 'results'), { recursive: true });
    await writeFile(join(cwd, 'results/runs'), 'keep me\n');
    const before = target.arrivals.length;
    const result = await runCli(['run', scenario, '--engine', 'builtin'], { cwd, env: { TOXIPROXY_URL: undefined } });
    assertInvalid(result, /cannot create a run folder in results\/runs:\n.*expected a folder this process can write to/);
    assert.equal(target.arrivals.length, before, 'no request reached the target');
  });

  test('build --out-dir FILE, baseline --out FOLDER or FILE/x', async () => {
    const file = join(dir, 'dist.txt');
    await writeFile(file, 'keep me\n');
    assertInvalid(await runCli(['build', scenario, '--out-dir', file]), /--out-dir: got ".*dist\.txt", expected a folder, but it is a file/);
    const analysed = join(dir, 'analysed');
    assert.equal((await runCli(['analyze', K6_SAMPLES, '--out', analysed])).code, 0);
    const summary = join(analysed, 'summary.json');
    assertInvalid(await runCli(['baseline', summary, '--out', dir]), /--out: got ".*", expected a file path, but .* is a folder/);
    assertInvalid(await runCli(['baseline', summary, '--out', join(file, 'b.json')]), /--out: got ".*dist\.txt\/b\.json", expected a file path, but .*dist\.txt is a file/);
    assert.equal(await readFile(file, 'utf8'), 'keep me\n');
  });

  test('analyze --out FILE writes nothing', async () => {
    const file = join(dir, 'analysis.txt');
    await writeFile(file, 'keep me\n');
    const result = await runCli(['analyze', K6_SAMPLES, '--out', file]);
    assertInvalid(result, /--out: got ".*analysis\.txt", expected a folder/);
    assert.equal(await readFile(file, 'utf8'), 'keep me\n');
  });
});

describe('analyze of a file with no k6 sample in it', () => {
  test("k6's --summary-export (pretty JSON) is refused and nothing is written", async () => {
    const out = join(dir, 'analyze-summary');
    const result = await runCli(['analyze', K6_SUMMARY_EXPORT, '--out', out]);
    assertInvalid(result, /no k6 samples in .*run-with-errors\.summary-export\.json.*\n.*expected k6 --out json or --out csv output/);
    assert.equal(existsSync(out), false, 'no summary or report written');
  });

  test("faultline's own summary.json is refused too", async () => {
    const analysed = join(dir, 'analysed-once');
    assert.equal((await runCli(['analyze', K6_SAMPLES, '--out', analysed])).code, 0);
    const out = join(dir, 'analyze-own-summary');
    assertInvalid(await runCli(['analyze', join(analysed, 'summary.json'), '--out', out]), /no k6 samples in .*summary\.json:\n.*expected k6 --out json or --out csv output/);
    assert.equal(existsSync(out), false);
  });

  test('one such file among good samples is refused, naming it', async () => {
    const out = join(dir, 'analyze-mixed');
    const result = await runCli(['analyze', K6_SAMPLES, K6_SUMMARY_EXPORT, '--out', out]);
    assertInvalid(result, /no k6 samples in .*summary-export\.json/);
    assert.equal(existsSync(out), false);
  });

  test('k6 output with no request in it (only its Metric lines) is still analysed', async () => {
    const metricsOnly = join(dir, 'metrics-only.json');
    const lines = gunzipSync(await readFile(K6_SAMPLES)).toString('utf8').split('\n').filter((l) => l.includes('"type":"Metric"'));
    await writeFile(metricsOnly, `${lines.join('\n')}\n`);
    const out = join(dir, 'analyze-empty');
    const result = await runCli(['analyze', metricsOnly, '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /no HTTP requests in the samples/);
    assert.ok((await readdir(out)).includes('summary.json'));
  });
});

describe('a scenario importing a Node built-in (k6 cannot run it)', () => {
  let nodeFs: string;
  before(async () => {
    nodeFs = await writeScenario('uses-node-fs.ts', `import { readFileSync } from 'node:fs';\nexport const hostname = () => readFileSync('/etc/hostname', 'utf8');`);
  });

  test('validate refuses it with the words build uses', async () => {
    const validated = await runCli(['validate', nodeFs]);
    assertInvalid(validated, /cannot bundle .*uses-node-fs\.ts for k6:\n.*uses-node-fs\.ts:2:\d+: expected no Node built-ins in a k6 script \(imports the Node built-in "node:fs", which k6 does not provide\)/);
    const built = await runCli(['build', nodeFs, '--out-dir', join(dir, 'dist')]);
    assert.equal(built.code, 2);
    assert.equal(validated.stderr, built.stderr);
  });

  test('validate --engine builtin accepts it, with a warning', async () => {
    const result = await runCli(['validate', nodeFs, '--engine', 'builtin']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ok .*uses-node-fs\.ts/);
    assert.match(result.stderr, /warning: .*uses-node-fs\.ts cannot be bundled for k6: .*"node:fs".*--engine builtin/);
  });

  test('run with the k6 engine refuses it before the target is probed', async () => {
    const out = join(dir, 'runs-k6');
    const before = target.arrivals.length;
    const result = await runCli(['run', nodeFs, '--engine', 'k6', '--k6', join(ROOT, 'test/fixtures/k6-standin/k6'), '--out', out], { env: { TOXIPROXY_URL: undefined } });
    assertInvalid(result, /cannot bundle .*uses-node-fs\.ts for k6/);
    assert.equal(target.arrivals.length, before, 'no request reached the target');
    assert.equal(existsSync(out), false, 'no run folder');
  });
});

describe('bad input that was already refused stays refused', () => {
  test('run of a scenario file that does not exist', async () => {
    assertInvalid(await runRefused([join(dir, 'missing.ts')]), /missing\.ts: expected a readable scenario file/);
  });

  test('run --rate 0, --duration nonsense, --engine nonsense', async () => {
    assertInvalid(await runRefused([scenario, '--rate', '0']), /--rate: got "0", expected a number above 0/);
    assertInvalid(await runRefused([scenario, '--duration', 'soon']), /--duration: got "soon", expected a duration/);
    const engine = await runCli(['run', scenario, '--engine', 'warp', '--out', join(dir, 'never')]);
    assertInvalid(engine, /--engine: got "warp", expected auto, builtin or k6/);
  });

  test('analyze of a samples file that does not exist', async () => {
    const out = join(dir, 'analyze-missing');
    assertInvalid(await runCli(['analyze', join(dir, 'missing.json'), '--out', out]), /cannot read samples .*missing\.json/);
    assert.equal(existsSync(out), false);
  });
});

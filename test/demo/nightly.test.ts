import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// scripts/nightly.sh as CI runs it, on two scenarios with short durations, with the built-in
// engine and proxy (no k6 or Toxiproxy here): every run folder complete, and the exit code
// telling the truth about the verdicts.
const SCRIPT = fileURLToPath(new URL('../../scripts/nightly.sh', import.meta.url));

test('nightly.sh runs the scenarios, writes their run folders and fails exactly when a verdict fails', { timeout: 180_000 }, async () => {
  const out = await mkdtemp(join(tmpdir(), 'faultline-nightly-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: (process.env.PATH ?? '').split(':').filter((d) => !existsSync(join(d, 'k6'))).join(':') };
  delete env.TOXIPROXY_URL;
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('bash', [SCRIPT, '--scenarios', 'dependency-down-at-start,slow-dependency', '--duration', '16s', '--out', out], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.resume();
    child.on('close', resolve);
  });
  const nightly = JSON.parse(readFileSync(join(out, 'nightly.json'), 'utf8')) as { engine: string; results: { scenario: string; exitCode: number; folder: string; verdict: string }[] };
  assert.equal(nightly.engine, 'builtin');
  assert.deepEqual(nightly.results.map((r) => r.scenario), ['dependency-down-at-start', 'slow-dependency']);
  for (const r of nightly.results) {
    for (const f of ['summary.json', 'junit.xml', 'report.html', 'events.json']) assert.ok(existsSync(join(r.folder, f)), `${r.scenario}: ${f}`);
    assert.equal(r.exitCode, r.verdict === 'pass' ? 0 : 1, `${r.scenario} exit code matches its verdict`);
    const junit = readFileSync(join(r.folder, 'junit.xml'), 'utf8');
    assert.match(junit, /<testsuite/);
  }
  assert.equal(code, nightly.results.some((r) => r.verdict !== 'pass') ? 1 : 0);
});

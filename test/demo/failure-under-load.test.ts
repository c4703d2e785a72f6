import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The demo end to end, as `npm run demo` runs it: 1000 req/s at the demo service for 40 s,
// its store cut from 10 s to 25 s through the built-in proxy. The service must meet the
// scenario's SLOs (under 5% errors around each edge, settled within 1 s, recovered within
// 30 s, under 1% failed overall), and the demo exits 0 then. A regression against the
// committed baseline is shown by the demo and judged by the nightly job, not here.
const DEMO = fileURLToPath(new URL('../../scripts/demo.ts', import.meta.url));

test('npm run demo: failure-under-load meets its SLOs with the built-in engine and proxy', { timeout: 150_000 }, async () => {
  let stderr = '';
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', DEMO], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    child.on('close', (c) => resolve({ code: c, stdout: out }));
  });
  assert.ok(code === 0 || code === 1, `demo exit ${code}\n${stderr.slice(-3000)}`);
  const folder = stdout.trim().split('\n').pop()!;
  const summary = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')) as {
    load: { requests: number; achievedRate: number }; slo: { measure: string; condition: string; pass: boolean; observed: number | null }[];
    transitions: { edge: string; settleTimeMs: number | null }[];
  };
  assert.ok(summary.load.requests >= 39_000, `${summary.load.requests} requests`);
  assert.equal(summary.transitions.length, 2);
  const failed = summary.slo.filter((s) => !s.pass);
  assert.deepEqual(failed, [], `SLOs failed:\n${stderr.slice(-3000)}`);
  assert.equal(code, 0, 'every SLO passed, so the demo exits 0');
});

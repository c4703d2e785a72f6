import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EventsFile } from '../../lib/timeline/index.ts';
import { runCli } from '../helpers/cli.ts';
import { freeListenPort, startCountingServerThread } from '../helpers/net.ts';
import { needs, REAL, startRealToxiproxy } from '../helpers/real-tools.ts';
import { proxyStates, writeScenario } from '../run/support.ts';

// faultline with the real k6 and a real toxiproxy-server: the load comes from k6, the fault
// from Toxiproxy, and the fault must be seen at the target when events.json says it was on.

const run = promisify(execFile);

/** A scenario whose target is reached only through the proxy `svc`: down from 3 s to 5 s. */
async function downScenario(upstreamPort: number) {
  const listen = `127.0.0.1:${await freeListenPort()}`;
  return writeScenario({
    name: 'realdown', target: { baseUrl: `http://${listen}` },
    load: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '7s', preAllocatedVUs: 20, maxVUs: 200, gracefulStop: '1s' },
    requests: [{ name: 'get', path: '/', timeout: '1s' }],
    proxies: [{ name: 'svc', listen, upstream: `127.0.0.1:${upstreamPort}` }],
    timeline: [{ at: '3s', for: '2s', proxy: 'svc', fault: { type: 'down', attributes: {} } }],
  });
}

/** The gap in arrivals around [on, off]: the last arrival before it and the first after. */
function gapAround(arrivals: number[], on: number, off: number) {
  const before = arrivals.filter((t) => t < (on + off) / 2);
  const after = arrivals.filter((t) => t >= (on + off) / 2);
  const during = arrivals.filter((t) => t > on + 50 && t < off - 50);
  return { lastBefore: Math.max(...before), firstAfter: Math.min(...after), during };
}

test('faultline run --engine k6 --toxiproxy <real>: a 2 s down at 3 s is seen at the target where events.json says, within 50 ms', { skip: needs('k6', 'toxiproxy-server') }, async () => {
  const toxiproxy = await startRealToxiproxy();
  const target = await startCountingServerThread();
  try {
    const { dir, file } = await downScenario(target.port);
    const r = await runCli(['run', file, '--engine', 'k6', '--toxiproxy', toxiproxy.url, '--out', join(dir, 'runs')], { timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    const folder = r.stdout.trim().split('\n').pop()!;
    const events = JSON.parse(await readFile(join(folder, 'events.json'), 'utf8')) as EventsFile;
    const [on, off] = events.events;
    assert.equal(on!.edge, 'on');
    const appliedOn = Date.parse(on!.appliedAt!);
    const appliedOff = Date.parse(off!.appliedAt!);
    const { lastBefore, firstAfter, during } = gapAround(target.arrivals, appliedOn, appliedOff);
    assert.deepEqual(during, [], 'no request reached the target while the proxy was down');
    // 200 req/s: a request is due every 5 ms, so traffic stops and resumes within a few of them.
    assert.ok(Math.abs(appliedOn - lastBefore) < 50, `last arrival ${(appliedOn - lastBefore).toFixed(1)} ms before the down was acknowledged`);
    assert.ok(Math.abs(firstAfter - appliedOff) < 50, `first arrival ${(firstAfter - appliedOff).toFixed(1)} ms after the proxy came back`);
    assert.ok(Math.abs(on!.appliedMs! - 3000) < 50 && Math.abs(off!.appliedMs! - 5000) < 50, `applied at ${on!.appliedMs} and ${off!.appliedMs} ms`);
    const summary = JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8')) as { engine: { name: string }; load: { requests: number }; transitions: unknown[] };
    assert.equal(summary.engine.name, 'k6');
    // rate x duration + 1 iterations; k6 sometimes does not start the one due at the very end.
    assert.ok([1400, 1401].includes(summary.load.requests), `${summary.load.requests} requests`);
    assert.equal(summary.transitions.length, 2);
    for (const p of await proxyStates(toxiproxy.url)) assert.ok(p.enabled && p.toxics.length === 0, `${p.name} left clean`);
  } finally {
    await target.close();
    await toxiproxy.close();
  }
});

test('a --timeline-in-k6 bundle run by plain `k6 run` switches the real Toxiproxy on schedule, and `faultline analyze` reads its samples', { skip: needs('k6', 'toxiproxy-server') }, async () => {
  const toxiproxy = await startRealToxiproxy();
  const target = await startCountingServerThread();
  try {
    const { dir, file } = await downScenario(target.port);
    const built = await runCli(['build', file, '--out-dir', dir, '--timeline-in-k6']);
    assert.equal(built.code, 0, built.stderr);
    const samples = join(dir, 'samples.json.gz');
    const started = Date.now();
    const env = { ...process.env, TOXIPROXY_URL: toxiproxy.url, K6_NO_USAGE_REPORT: 'true' };
    await run(REAL.k6!, ['run', '--quiet', '--no-summary', '--out', `json=${samples}`, join(dir, 'realdown.js')], { env, timeout: 90_000 });
    // No events.json in this mode: the gap at the target is where the schedule puts it, from
    // the load's first request (k6 starts both scenarios together).
    const first = Math.min(...target.arrivals);
    assert.ok(first - started < 5000, 'the load started');
    const { lastBefore, firstAfter, during } = gapAround(target.arrivals, first + 3000, first + 5000);
    assert.deepEqual(during, [], 'no request reached the target while the proxy was down');
    assert.ok(Math.abs(lastBefore - (first + 3000)) < 100 && Math.abs(firstAfter - (first + 5000)) < 100,
      `gap from ${(lastBefore - first).toFixed(0)} to ${(firstAfter - first).toFixed(0)} ms after the first request`);
    for (const p of await proxyStates(toxiproxy.url)) assert.ok(p.enabled && p.toxics.length === 0, `${p.name} left clean by teardown`);

    const analyzed = await runCli(['analyze', samples, '--scenario', file, '--out', join(dir, 'analysis')]);
    assert.equal(analyzed.code, 0, analyzed.stderr);
    const summary = JSON.parse(await readFile(join(dir, 'analysis', 'summary.json'), 'utf8')) as { load: { requests: number }; transitions: { edge: string; at: number }[]; warnings: string[] };
    // The timeline's own Toxiproxy calls (setup, steps, teardown) are left out: only the
    // load's 1400-1401 requests count.
    assert.ok([1400, 1401].includes(summary.load.requests), `${summary.load.requests} requests`);
    assert.deepEqual(summary.transitions.map((t) => t.edge), ['on', 'off']);
    assert.ok(summary.warnings.some((w) => /schedule/.test(w)), summary.warnings.join('\n'));
  } finally {
    await target.close();
    await toxiproxy.close();
  }
});

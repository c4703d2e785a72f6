import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { freeListenPort } from '../../lib/host/index.ts';
import { runCli } from '../helpers/cli.ts';
import { startCountingServerThread } from '../helpers/net.ts';
import { needs, REAL, startRealToxiproxy } from '../helpers/real-tools.ts';
import { proxyStates, writeScenario } from '../run/support.ts';

// Distributed k6 for real: one --timeline-in-k6 bundle run as two k6 processes, each one
// half of the load (`--execution-segment`), against a real Toxiproxy; the in-k6 timeline
// runs in one segment only. `faultline analyze` of the two samples files is one run.

const run = promisify(execFile);
const SEGMENTS = ['0:1/2', '1/2:1'];
const TIMELINE_NAME = 'faultline-timeline';

interface K6Point { metric: string; type: string; data: { tags?: Record<string, string>; value: number } }

/** Per samples file, counted apart from faultline: load requests, those that failed, and the timeline's step calls. */
async function countRequests(file: string) {
  const counts = { load: 0, failed: 0, timelineSteps: 0 };
  for (const line of gunzipSync(await readFile(file)).toString('utf8').split('\n')) {
    if (!line) continue;
    const p = JSON.parse(line) as K6Point;
    if (p.type !== 'Point' || (p.metric !== 'http_reqs' && p.metric !== 'http_req_failed')) continue;
    const tags = p.data.tags ?? {};
    if (tags.name === TIMELINE_NAME) {
      if (p.metric === 'http_reqs' && tags.scenario === 'faultline_timeline') counts.timelineSteps++;
    } else if (p.metric === 'http_reqs') counts.load++;
    else if (p.data.value === 1) counts.failed++;
  }
  return counts;
}

test('two k6 segments of a --timeline-in-k6 bundle against a real Toxiproxy analyse as one run', { skip: needs('k6', 'toxiproxy-server') }, async (t) => {
  const toxiproxy = await startRealToxiproxy();
  const target = await startCountingServerThread();
  try {
    // 200 req/s for 6 s through the proxy `svc`, down from 2 s to 4 s.
    const listen = `127.0.0.1:${await freeListenPort()}`;
    const { dir, file } = await writeScenario({
      name: 'segdown', target: { baseUrl: `http://${listen}` },
      load: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '6s', preAllocatedVUs: 20, maxVUs: 200, gracefulStop: '1s' },
      requests: [{ name: 'get', path: '/', timeout: '1s' }],
      proxies: [{ name: 'svc', listen, upstream: `127.0.0.1:${target.port}` }],
      timeline: [{ at: '2s', for: '2s', proxy: 'svc', fault: { type: 'down', attributes: {} } }],
    });
    const built = await runCli(['build', file, '--out-dir', dir, '--timeline-in-k6']);
    assert.equal(built.code, 0, built.stderr);

    const env = { ...process.env, TOXIPROXY_URL: toxiproxy.url, K6_NO_USAGE_REPORT: 'true' };
    const files = SEGMENTS.map((_, i) => join(dir, `seg-${i}.json.gz`));
    await Promise.all(SEGMENTS.map((segment, i) => run(REAL.k6!, [
      'run', '--quiet', '--no-summary', '--execution-segment', segment, '--execution-segment-sequence', '0,1/2,1',
      '--out', `json=${files[i]}`, join(dir, 'segdown.js'),
    ], { env, timeout: 90_000 })));
    for (const p of await proxyStates(toxiproxy.url)) assert.ok(p.enabled && p.toxics.length === 0, `${p.name} left clean`);

    const counted = await Promise.all(files.map(countRequests));
    t.diagnostic(`per segment: ${JSON.stringify(counted)}; the target saw ${target.arrivals.length}`);
    assert.deepEqual(counted.map((c) => c.timelineSteps > 0).sort(), [false, true], 'the timeline ran in exactly one segment');

    const out = join(dir, 'analysis');
    const analyzed = await runCli(['analyze', ...files, '--scenario', file, '--out', out]);
    assert.equal(analyzed.code, 0, analyzed.stderr);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as {
      startedAt: string; load: { requests: number }; overall: { errors: number };
      transitions: Array<{ edge: string; atMs: number; errors: number }>; inputs: Array<{ requests: number }>;
    };
    const load = counted.reduce((n, c) => n + c.load, 0);
    const failed = counted.reduce((n, c) => n + c.failed, 0);
    assert.equal(summary.load.requests, load, 'the summary counts every load request of both files, and nothing else');
    assert.deepEqual(summary.inputs.map((i) => i.requests), counted.map((c) => c.load));
    assert.equal(summary.overall.errors, failed);
    // 6 s x 200/s (+1 at the very end, sometimes), split between the segments.
    assert.ok(load >= 1200 && load <= 1201, `${load} load requests`);
    // What did not fail reached the target; a request cut when the proxy went down may
    // have reached it and failed too, so allow a handful.
    const arrived = target.arrivals.length;
    assert.ok(arrived >= load - failed && arrived <= load - failed + 5, `${arrived} arrivals for ${load} requests of which ${failed} failed`);
    assert.ok(failed >= 300 && failed <= 440, `${failed} requests refused during the 2 s down`);
    // One t0 for both files: the earliest load request, which the target saw first.
    const t0 = Date.parse(summary.startedAt);
    const firstArrival = Math.min(...target.arrivals);
    assert.ok(firstArrival - t0 >= 0 && firstArrival - t0 < 100, `first arrival ${(firstArrival - t0).toFixed(1)} ms after t0`);
    // Where the down really was: the longest gap in arrivals, from t0. The timeline runs in
    // one segment's process, which may start after the other's (two k6 processes: seen up to
    // ~350 ms apart on a loaded machine); its schedule then runs late by that much.
    const sorted = [...target.arrivals].sort((a, b) => a - b);
    let gap = { from: 0, to: 0 };
    for (let i = 1; i < sorted.length; i++) if (sorted[i]! - sorted[i - 1]! > gap.to - gap.from) gap = { from: sorted[i - 1]!, to: sorted[i]! };
    const [lastBefore, firstAfter] = [gap.from - t0, gap.to - t0];
    t.diagnostic(`gap at the target from ${lastBefore.toFixed(0)} to ${firstAfter.toFixed(0)} ms after t0 (scheduled 2000 to 4000)`);
    assert.ok(firstAfter - lastBefore > 1900 && firstAfter - lastBefore < 2200, 'the down lasted its 2 s at the target');
    assert.ok(lastBefore > 1900 && lastBefore < 3000, 'the down began at 2 s, plus the timeline segment\'s late start');
    assert.deepEqual(summary.transitions.map((x) => [x.edge, x.atMs]), [['on', 2000], ['off', 4000]], 'each transition once, on the schedule');
    assert.ok(summary.transitions[0]!.errors >= 300, 'the down is seen in the "on" transition window');
  } finally {
    await target.close();
    await toxiproxy.close();
  }
});

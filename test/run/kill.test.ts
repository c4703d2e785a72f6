import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { startProxyServer } from '../../lib/proxy/index.ts';
import type { EventsFile } from '../../lib/timeline/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { freeListenPort, startCountingServer } from '../helpers/net.ts';
import { builtinRunArgs, eventually, loop, writeScenario } from './support.ts';

// A run killed with SIGKILL (or cut off by a power loss) gets no chance to close anything:
// what it recorded up to about the last second must be on disk and readable, and
// `faultline analyze` must take the folder as it is and say the run was cut short.

const RATE = 300;
const KILL_AFTER_MS = 2500;

/** Every complete line of a gzip file that may stop without its end (as a killed run leaves it). */
async function gzipLines(file: string): Promise<{ lines: string[]; cutShort: boolean }> {
  const gunzip = createGunzip();
  const chunks: Buffer[] = [];
  gunzip.on('data', (d: Buffer) => chunks.push(d));
  const cutShort = await new Promise<boolean>((resolve) => {
    gunzip.on('end', () => resolve(false));
    gunzip.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'Z_BUF_ERROR'));
    void readFile(file).then((bytes) => gunzip.end(bytes));
  });
  const text = Buffer.concat(chunks).toString('utf8');
  return { lines: text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean), cutShort };
}

test('a run killed with SIGKILL 2.5 s in: samples up to about the last second, events.json with t0 and every fault applied, analyze warns it was cut short', async (t) => {
  const api = await startProxyServer({ port: 0 });
  const upstream = await startCountingServer();
  const listen = `127.0.0.1:${await freeListenPort()}`;
  try {
    const { dir, file } = await writeScenario({
      name: 'killed', target: { baseUrl: `http://${listen}` },
      load: { executor: 'constant-arrival-rate', rate: RATE, timeUnit: '1s', duration: '20s', preAllocatedVUs: 20, maxVUs: 100 },
      requests: [{ name: 'get', path: '/' }],
      proxies: [{ name: 'store', listen, upstream: `127.0.0.1:${upstream.port}` }],
      timeline: [
        { at: '500ms', for: '1s', proxy: 'store', fault: { type: 'latency', attributes: { latency: 5, jitter: 0 } } },
        { at: '2s', for: '10s', proxy: 'store', fault: { type: 'latency', attributes: { latency: 10, jitter: 0 } } },
      ],
    });
    const runs = join(dir, 'runs');
    const run = startCli(builtinRunArgs(file, api.url, runs));

    // events.json exists from t0 on: it says when the load started.
    const folder = await eventually(async () => {
      const [name] = await readdir(runs);
      return name ? join(runs, name) : undefined;
    }, 30_000);
    const started = await eventually(async () => JSON.parse(await readFile(join(folder, 'events.json'), 'utf8')) as EventsFile, 30_000);
    assert.equal(started.complete, false);
    const t0 = Date.parse(started.t0);
    await loop(t0 + KILL_AFTER_MS - Date.now());
    const killedAt = Date.now();
    run.kill('SIGKILL');
    const { signal, stderr } = await run.exited;
    assert.equal(signal, 'SIGKILL', stderr);
    const arrivals = upstream.arrivals.map((t) => performance.timeOrigin + t);

    // Samples: every request that reached the target up to a second before the kill is there.
    const { lines, cutShort } = await gzipLines(join(folder, 'samples.json.gz'));
    assert.ok(cutShort, 'a killed run cannot have ended its gzip stream');
    const requests = lines.filter((l) => l.startsWith('{"metric":"http_reqs","type":"Point"'));
    const dueBySecondBefore = arrivals.filter((t) => t <= killedAt - 1000).length;
    assert.ok(dueBySecondBefore > RATE, `${dueBySecondBefore} arrivals before ${killedAt - 1000 - t0} ms`);
    t.diagnostic(`killed ${killedAt - t0} ms after t0: ${requests.length} requests in the samples, ${dueBySecondBefore} reached the target up to 1 s before the kill, ${arrivals.length} in all`);
    assert.ok(requests.length >= dueBySecondBefore && requests.length <= arrivals.length,
      `${requests.length} requests in the samples; ${dueBySecondBefore} reached the target up to 1 s before the kill, ${arrivals.length} in all`);

    // events.json: t0 and the three edges applied before the kill, not marked final.
    const events = JSON.parse(await readFile(join(folder, 'events.json'), 'utf8')) as EventsFile;
    assert.equal(events.t0, started.t0);
    assert.equal(events.complete, false);
    assert.deepEqual(events.events.map((e) => [e.edge, e.scheduledMs, e.appliedAt !== null, e.error]),
      [['on', 500, true, undefined], ['off', 1500, true, undefined], ['on', 2000, true, undefined]]);

    // analyze takes the folder as the kill left it: exit 0 or 1 (SLOs), never 2 or 3, and says so.
    const out = join(await mkdtemp(join(tmpdir(), 'faultline-killed-')), 'analysis');
    const analysis = await runCli(['analyze', join(folder, 'samples.json.gz'), '--events', join(folder, 'events.json'), '--out', out]);
    assert.ok(analysis.code === 0 || analysis.code === 1, `exit ${analysis.code}\n${analysis.stderr}`);
    assert.match(analysis.stderr, /warning: .*samples\.json\.gz: the run was cut short: the samples end abruptly \(a gzip stream with no end/);
    assert.match(analysis.stderr, /warning: the run was cut short: events\.json is not final/);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as { load: { requests: number }; transitions: unknown[]; warnings: string[] };
    assert.equal(summary.load.requests, requests.length);
    assert.equal(summary.transitions.length, 3);
    assert.equal(summary.warnings.filter((w) => w.includes('the run was cut short')).length, 2, summary.warnings.join('\n'));
  } finally {
    await upstream.close();
    await api.close();
  }
});

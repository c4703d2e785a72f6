import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../lib/run/index.ts';
import { freeListenPort, startCountingServerThread } from '../helpers/net.ts';
import { writeScenario } from './support.ts';

// The whole chain on real sockets: built-in engine -> built-in proxy -> a real upstream.
// A `down` step must show in the traffic exactly when events.json says it was applied.

test('arrivals at the upstream stop for a down step and resume after it, in step with events.json', async () => {
  // Arrivals are timed on the upstream's own thread: this process's loop runs the engine.
  const upstream = await startCountingServerThread();
  const listen = `127.0.0.1:${await freeListenPort()}`;
  const { dir, file } = await writeScenario({
    name: 'window', target: { baseUrl: `http://${listen}` },
    load: { executor: 'constant-arrival-rate', rate: 500, timeUnit: '1s', duration: '3s', preAllocatedVUs: 20, maxVUs: 200, gracefulStop: '1s' },
    requests: [{ name: 'get', path: '/', timeout: '1s' }],
    proxies: [{ name: 'svc', listen, upstream: `127.0.0.1:${upstream.port}` }],
    timeline: [{ at: '1s', for: '1s', proxy: 'svc', fault: { type: 'down', attributes: {} } }],
  });
  try {
    const run = await runScenario({ scenarioFile: file, engine: 'builtin', outRoot: dir, commandLine: ['test'] });
    const [on, off] = run.events!.events;
    assert.equal(on!.edge, 'on');
    assert.equal(off!.edge, 'off');
    // Epoch ms of each arrival at the upstream (the threads share one process clock).
    const arrivals = upstream.arrivals;
    const sentOn = Date.parse(on!.sentAt);
    const appliedOn = Date.parse(on!.appliedAt!);
    const sentOff = Date.parse(off!.sentAt);
    const appliedOff = Date.parse(off!.appliedAt!);
    // A request the proxy forwarded just before it stopped is still read by the upstream's
    // thread after the acknowledgement when that thread was descheduled for a moment (seen
    // once in a full parallel suite: two arrivals just after it), hence the 10 ms.
    const during = arrivals.filter((t) => t > appliedOn + 10 && t < sentOff - 1);
    assert.deepEqual(during, [], 'no request reached the upstream while the proxy was down');
    const lastBefore = Math.max(...arrivals.filter((t) => t <= appliedOn + 1));
    const firstAfter = Math.min(...arrivals.filter((t) => t >= sentOff - 1));
    // At 500 req/s a request is due every 2 ms: traffic stops and resumes within a few of them.
    assert.ok(sentOn - lastBefore < 25, `last arrival ${(sentOn - lastBefore).toFixed(1)} ms before the down call`);
    assert.ok(firstAfter - appliedOff < 25, `first arrival ${(firstAfter - appliedOff).toFixed(1)} ms after the proxy came back`);
    // Each call went out on schedule (the skew's size is measured by scripts/bench/timeline.ts).
    for (const e of [on!, off!]) assert.ok(e.sentMs - e.scheduledMs < 50 && e.appliedMs! >= e.sentMs, `sent ${e.sentMs - e.scheduledMs} ms late`);
    assert.ok(arrivals.length > 900 && arrivals.length < 1100, `${arrivals.length} arrivals (1000 minus one second of outage, plus the probe)`);
  } finally {
    await upstream.close();
  }
});

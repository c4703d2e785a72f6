import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProxyServer } from '../../lib/proxy/index.ts';
import { resolveScenario } from '../../lib/scenario/index.ts';
import { now } from '../../lib/clock/index.ts';
import { FaultApi, TimelineThread } from '../../lib/timeline/index.ts';
import { freeListenPort } from '../helpers/net.ts';

/** These timelines have network steps only: no undo file or command log is ever opened. */
const NO_PROCESS_STEPS = { processes: [], undoFile: '/nonexistent/undo.json', runPid: process.pid, runStartTicks: 0, commandLog: '/nonexistent/commands.log', cwd: process.cwd() };

// The timeline controller on its own thread, against a real built-in proxy: what it
// switches, when, and what it leaves behind.

async function setup(timeline: unknown[]) {
  const listen = `127.0.0.1:${await freeListenPort()}`;
  const { scenario } = resolveScenario({
    name: 'thread', target: { baseUrl: 'http://127.0.0.1:9' },
    load: { executor: 'constant-arrival-rate', rate: 1, timeUnit: '1s', duration: '5s', preAllocatedVUs: 1 },
    requests: [{ name: 'get', path: '/' }],
    proxies: [{ name: 'store', listen, upstream: '127.0.0.1:9' }],
    timeline,
  } as never, { env: {} });
  const server = await startProxyServer({ port: 0 });
  const api = new FaultApi({ url: server.url });
  await api.prepare(scenario.proxies);
  // The faults on the proxy; prepare()'s lease (the run's marker, toxicity 0) is left out.
  const state = async () => {
    const proxy = (await (await fetch(`${server.url}/proxies/store`)).json()) as { enabled: boolean; toxics: { name: string }[] };
    return { ...proxy, toxics: proxy.toxics.filter((t) => !t.name.startsWith('faultline_lease_')) };
  };
  return { server, api, scenario, state, close: async () => { await api.close(); await server.close(); } };
}

test('each step is applied at its offset from t0 and recorded with its three times', async () => {
  const s = await setup([
    { at: '100ms', for: '200ms', proxy: 'store', fault: { type: 'latency', attributes: { latency: 10, jitter: 0 } } },
    { at: '150ms', for: '50ms', proxy: 'store', fault: { type: 'down', attributes: {} } },
  ]);
  try {
    const timeline = await TimelineThread.open(s.scenario.timeline, { url: s.server.url }, NO_PROCESS_STEPS);
    const t0 = now();
    timeline.start(t0);
    await new Promise((r) => setTimeout(r, 170));
    const during = await s.state();
    assert.equal(during.enabled, false, 'down at 150 ms');
    assert.deepEqual(during.toxics.map((t) => t.name), ['faultline_0_latency_downstream']);
    await new Promise((r) => setTimeout(r, 250));
    await timeline.stop();
    assert.deepEqual(timeline.events.map((e) => `${e.edge} ${e.type} ${e.scheduledMs}`), ['on latency 100', 'on down 150', 'off down 200', 'off latency 300']);
    for (const e of timeline.events) {
      assert.ok(e.sentMs >= e.scheduledMs && e.appliedMs! >= e.sentMs, `${e.edge} ${e.type}: scheduled ${e.scheduledMs}, sent ${e.sentMs}, applied ${e.appliedMs}`);
      assert.ok(e.appliedMs! - e.scheduledMs < 100, `${e.edge} ${e.type} applied ${e.appliedMs! - e.scheduledMs} ms late`);
      assert.equal(Date.parse(e.scheduledAt), Math.floor(t0 + e.scheduledMs));
    }
    const after = await s.state();
    assert.equal(after.enabled, true);
    assert.deepEqual(after.toxics, []);
  } finally {
    await s.close();
  }
});

test('each call reaches the parent as it happens, before the thread is stopped; the stopped list stays the authority', async () => {
  const s = await setup([{ at: '50ms', for: '100ms', proxy: 'store', fault: { type: 'latency', attributes: { latency: 10, jitter: 0 } } }]);
  try {
    const seen: string[][] = [];
    const timeline = await TimelineThread.open(s.scenario.timeline, { url: s.server.url }, NO_PROCESS_STEPS, (events) => {
      seen.push(events.map((e) => `${e.edge} ${e.appliedAt === null ? 'sent' : 'applied'}`));
    });
    timeline.start(now());
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(seen.at(-1), ['on applied', 'off applied'], JSON.stringify(seen));
    assert.deepEqual(seen[0], ['on sent']);
    const live = JSON.stringify(timeline.events);
    await timeline.stop();
    assert.equal(JSON.stringify(timeline.events), live);
  } finally {
    await s.close();
  }
});

test('stop() mid-fault removes every fault the thread switched on and records the cleanup', async () => {
  const s = await setup([
    { at: '50ms', proxy: 'store', fault: { type: 'down', attributes: {} } },
    { at: '50ms', proxy: 'store', fault: { type: 'latency', attributes: { latency: 10, jitter: 0 } } },
  ]);
  try {
    const timeline = await TimelineThread.open(s.scenario.timeline, { url: s.server.url }, NO_PROCESS_STEPS);
    timeline.start(now());
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await s.state()).enabled, false);
    await timeline.stop();
    const after = await s.state();
    assert.equal(after.enabled, true);
    assert.deepEqual(after.toxics, []);
    assert.deepEqual(timeline.events.filter((e) => e.kind === 'cleanup').map((e) => `${e.edge} ${e.type}`).sort(), ['off down', 'off latency']);
  } finally {
    await s.close();
  }
});

test('stop() rejects when the thread is already gone, so the run clears the faults itself', async () => {
  const s = await setup([{ at: '4s', proxy: 'store', fault: { type: 'down', attributes: {} } }]);
  try {
    const timeline = await TimelineThread.open(s.scenario.timeline, { url: s.server.url }, NO_PROCESS_STEPS);
    await (timeline as unknown as { thread: { terminate(): Promise<void> } }).thread.terminate();
    await assert.rejects(timeline.stop(), /ended before it was stopped/);
  } finally {
    await s.close();
  }
});

test('a thread whose Toxiproxy API does not answer fails to open, naming why', async () => {
  const port = await freeListenPort();
  const { scenario } = resolveScenario({
    name: 'thread', target: { baseUrl: 'http://127.0.0.1:9' },
    load: { executor: 'constant-arrival-rate', rate: 1, timeUnit: '1s', duration: '5s', preAllocatedVUs: 1 },
    requests: [{ name: 'get', path: '/' }],
    proxies: [{ name: 'store', listen: '127.0.0.1:1', upstream: '127.0.0.1:9' }],
    timeline: [{ at: '1s', proxy: 'store', fault: { type: 'down', attributes: {} } }],
  } as never, { env: {} });
  await assert.rejects(TimelineThread.open(scenario.timeline, { url: `http://127.0.0.1:${port}`, timeoutMs: 200, attempts: 1 }, NO_PROCESS_STEPS), /timeline thread could not start: .*(ECONNREFUSED|connect|fetch failed)/i);
});

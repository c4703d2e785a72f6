import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startProxyServer } from '../../lib/proxy/index.ts';
import { runCli, runFolder, startCli } from '../helpers/cli.ts';
import { startFaultProxy } from '../helpers/fault-proxy.ts';
import { freeListenPort, startCountingServer } from '../helpers/net.ts';
import { needs, startRealToxiproxy } from '../helpers/real-tools.ts';
import { builtinRunArgs, eventually, loop, proxyStates, writeScenario } from './support.ts';

// The failure paths of `faultline run`: a fault API that goes away mid-run, a stop asked for
// during start-up, a request URL off this machine. Each is reproduced as a user would meet
// it, with real processes, sockets and signals.

const SERVERS = [
  { kind: 'the built-in proxy', start: () => startProxyServer({ port: 0 }), skip: false as const },
  { kind: 'a real Toxiproxy', start: startRealToxiproxy, skip: needs('toxiproxy-server') },
];

async function scenarioThrough(upstreamPort: number, extra: Record<string, unknown> = {}) {
  const listen = `127.0.0.1:${await freeListenPort()}`;
  return writeScenario({
    name: 'failpath', target: { baseUrl: `http://127.0.0.1:${upstreamPort}` },
    load: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '4s', preAllocatedVUs: 5, maxVUs: 20, gracefulStop: '1s' },
    requests: [{ name: 'get', path: '/' }],
    proxies: [{ name: 'store', listen, upstream: `127.0.0.1:${upstreamPort}` }],
    timeline: [
      { at: '500ms', for: '2s', proxy: 'store', fault: { type: 'latency', attributes: { latency: 50, jitter: 0 } } },
      { at: '1s', for: '1s', proxy: 'store', fault: { type: 'down', attributes: {} } },
    ],
    ...extra,
  });
}

for (const server of SERVERS) {
  test(`a fault API lost mid-fault (${server.kind}): exit 3, the terminal names what may still be faulted and the reset command`, { skip: server.skip }, async () => {
    const api = await server.start();
    const upstream = await startCountingServer();
    // The run reaches its fault API through a second built-in proxy, which the test then takes down.
    const way = await startFaultProxy();
    const link = await way.link('fault-api', Number(new URL(api.url).port));
    try {
      const { dir, file } = await scenarioThrough(upstream.port);
      const linkUrl = `http://127.0.0.1:${link.port}`;
      const run = startCli(builtinRunArgs(file, linkUrl, join(dir, 'runs')));
      // Both faults on: then the way to the API goes away.
      await eventually(async () => {
        const [p] = await proxyStates(api.url);
        return p && !p.enabled && p.toxics.some((t) => t.name.startsWith('faultline_')) ? p : undefined;
      });
      await link.setMode('down');
      const { code, stderr } = await run.exited;
      assert.equal(code, 3, stderr);
      assert.match(stderr, /faults did not go as scheduled/);
      assert.match(stderr, /may still be faulted: .*store/);
      assert.ok(stderr.includes(`faultline reset --toxiproxy ${linkUrl}`), stderr);
      // The proxy really is still faulted: the message told the truth.
      const [left] = await proxyStates(api.url);
      assert.equal(left!.enabled, false);
      const reset = await runCli(['reset', '--toxiproxy', api.url]);
      assert.equal(reset.code, 0, reset.stderr);
      for (const p of await proxyStates(api.url)) assert.ok(p.enabled && p.toxics.length === 0, `${p.name} clean after reset`);
    } finally {
      await way.close();
      await upstream.close();
      await api.close();
    }
  });
}

for (const server of SERVERS) {
  test(`two runs on one proxy (${server.kind}): the second refuses to start while the first is alive, and the first runs undisturbed`, { skip: server.skip }, async () => {
    const api = await server.start();
    const upstream = await startCountingServer();
    try {
      const { dir, file } = await scenarioThrough(upstream.port);
      const first = startCli(builtinRunArgs(file, api.url, join(dir, 'runs')));
      await eventually(async () => ((await proxyStates(api.url))[0]?.toxics.some((t) => t.name.startsWith('faultline_lease_')) ? true : undefined));
      const second = await runCli(builtinRunArgs(file, api.url, join(dir, 'runs')));
      assert.equal(second.code, 3, second.stderr);
      assert.match(second.stderr, /proxy store .* is in use by a run on this machine \(pid \d+\)/);
      const firstEnd = await first.exited;
      assert.equal(firstEnd.code, 0, firstEnd.stderr);
      // The first run's faults were its own from start to end: both edges of both steps applied.
      const folder = runFolder(firstEnd.stdout)!;
      const events = JSON.parse(await readFile(join(folder, 'events.json'), 'utf8')) as { events: { edge: string; error?: string }[] };
      assert.deepEqual(events.events.map((e) => [e.edge, e.error]), [['on', undefined], ['on', undefined], ['off', undefined], ['off', undefined]]);
      for (const p of await proxyStates(api.url)) assert.ok(p.enabled && p.toxics.length === 0, `${p.name} clean`);

      // A run killed with its lease on: the next run sees its process is gone and goes ahead.
      const killed = startCli(builtinRunArgs(file, api.url, join(dir, 'runs')));
      await eventually(async () => ((await proxyStates(api.url))[0]?.enabled === false ? true : undefined));
      killed.kill('SIGKILL');
      await killed.exited;
      const next = await runCli([...builtinRunArgs(file, api.url, join(dir, 'runs')), '--duration', '1500ms']);
      assert.equal(next.code, 0, next.stderr);
      assert.match(next.stderr, /removed faults left by an earlier run: .*faultline_lease_/);
    } finally {
      await upstream.close();
      await api.close();
    }
  });
}

test('a stop asked for during start-up stops the run: no load after it, no fault applied, exit 3', async () => {
  const api = await startProxyServer({ port: 0 });
  const upstream = await startCountingServer();
  try {
    const { dir, file } = await scenarioThrough(upstream.port);
    // From "before anything is set up" to "just as the load begins" on this machine.
    for (const delayMs of [300, 700, 1100, 1500]) {
      const before = upstream.arrivals.length;
      const run = startCli(builtinRunArgs(file, api.url, join(dir, 'runs')));
      await loop(delayMs);
      run.kill('SIGINT');
      const { code, stdout, stderr } = await run.exited;
      assert.equal(code, 3, `SIGINT at ${delayMs} ms: exit ${code}\n${stderr}`);
      // A full run would send 201 requests over 4 s: a stop in the first second sends at most ~50.
      const sent = upstream.arrivals.length - before;
      assert.ok(sent < 60, `SIGINT at ${delayMs} ms: ${sent} requests reached the target`);
      for (const p of await proxyStates(api.url)) assert.ok(p.enabled && p.toxics.length === 0, `SIGINT at ${delayMs} ms: ${p.name} clean`);
      const folder = runFolder(stdout);
      if (folder && existsSync(join(folder, 'events.json'))) {
        // The load had started: every fault that went on was taken off, none after the stop.
        assert.match(stderr, /stopped by SIGINT/);
      } else {
        assert.match(stderr, /no load was started and no fault was applied|stopped by SIGINT/, stderr);
      }
    }
  } finally {
    await upstream.close();
    await api.close();
  }
});

test("a request's own URL goes through the loopback check like the base URL: 0.0.0.0 is refused (exit 2), nothing sent", async () => {
  const upstream = await startCountingServer();
  try {
    const { dir, file } = await writeScenario({
      name: 'offbox', target: { baseUrl: upstream.url },
      load: { executor: 'constant-arrival-rate', rate: 10, duration: '1s' },
      requests: [{ name: 'wild', url: `http://0.0.0.0:${upstream.port}/x` }],
    });
    const r = await runCli(['run', file, '--engine', 'builtin', '--out', join(dir, 'runs')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /requests\.wild\.url: got "0\.0\.0\.0"/);
    assert.equal(upstream.arrivals.length, 0);
  } finally {
    await upstream.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startProxyServer } from '../../lib/proxy/index.ts';
import { runScenario, type LoadEngine } from '../../lib/run/index.ts';
import { runCli, runFolder, startCli } from '../helpers/cli.ts';
import { freeListenPort, startCountingServer } from '../helpers/net.ts';
import { needs, startRealToxiproxy } from '../helpers/real-tools.ts';
import { builtinRunArgs, eventually, proxyStates, writeScenario } from './support.ts';

// A run never leaves a fault behind: a separately running Toxiproxy API is inspected after
// each way a run can end. Each test runs against the built-in proxy (as `faultline proxy`
// serves it) and against a real toxiproxy-server when one is on PATH.

const SERVERS = [
  { kind: 'the built-in proxy', start: () => startProxyServer({ port: 0 }), skip: false as const },
  { kind: 'a real Toxiproxy', start: startRealToxiproxy, skip: needs('toxiproxy-server') },
];

async function setup(server: (typeof SERVERS)[number]) {
  const api = await server.start();
  const upstream = await startCountingServer();
  const [a, b] = [await freeListenPort(), await freeListenPort()];
  const { dir, file } = await writeScenario({
    name: 'cleanup', target: { baseUrl: upstream.url },
    load: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '20s', preAllocatedVUs: 5, maxVUs: 20, gracefulStop: '1s' },
    requests: [{ name: 'get', path: '/' }],
    proxies: [
      { name: 'store', listen: `127.0.0.1:${a}`, upstream: `127.0.0.1:${upstream.port}` },
      { name: 'api', listen: `127.0.0.1:${b}`, upstream: `127.0.0.1:${upstream.port}` },
    ],
    timeline: [
      { at: '200ms', proxy: 'store', fault: { type: 'latency', attributes: { latency: 100, jitter: 0 } } },
      { at: '200ms', proxy: 'api', fault: { type: 'down', attributes: {} } },
    ],
  });
  const close = async () => { await upstream.close(); await api.close(); };
  return { api, upstream, dir, file, close };
}

const faultsOn = async (url: string) => {
  const states = await proxyStates(url);
  return states.length === 2 && states.some((p) => !p.enabled) && states.some((p) => p.toxics.some((t) => !t.name.startsWith('faultline_lease_'))) ? states : undefined;
};

function assertClean(states: Awaited<ReturnType<typeof proxyStates>>) {
  for (const p of states) {
    assert.equal(p.enabled, true, `${p.name} enabled`);
    assert.deepEqual(p.toxics, [], `${p.name} has no toxics`);
  }
}

for (const server of SERVERS) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} mid-fault on ${server.kind}: the run stops, removes every fault, keeps what it measured, exits 3; the next run finds nothing left`, { skip: server.skip }, async () => {
      const s = await setup(server);
      try {
        const run = startCli(builtinRunArgs(s.file, s.api.url, join(s.dir, 'runs')));
        await eventually(() => faultsOn(s.api.url));
        run.kill(signal);
        const { code, stdout, stderr } = await run.exited;
        assert.equal(code, 3, stderr);
        assertClean(await proxyStates(s.api.url));
        const folder = runFolder(stdout)!;
        for (const f of ['events.json', 'samples.json.gz', 'summary.json', 'report.html']) assert.ok(existsSync(join(folder, f)), f);
        assert.match(stderr, new RegExp(`stopped by ${signal}`));
        const next = await runScenario({ scenarioFile: s.file, engine: 'builtin', toxiproxyUrl: s.api.url, outRoot: s.dir, commandLine: ['test'], durationMs: 100 });
        assert.deepEqual(next.warnings.filter((w) => w.includes('left by an earlier run')), [], 'no false leftover warning');
      } finally {
        await s.close();
      }
    });
  }

  test(`an exception mid-fault removes every fault from ${server.kind} before it propagates`, { skip: server.skip }, async () => {
    const s = await setup(server);
    try {
      const failing = (): LoadEngine => ({
        name: 'builtin',
        async run(ctx) {
          ctx.onStart(performance.timeOrigin + performance.now());
          await eventually(() => faultsOn(s.api.url));
          throw new Error('engine blew up');
        },
      });
      await assert.rejects(runScenario({ scenarioFile: s.file, engine: 'builtin', toxiproxyUrl: s.api.url, outRoot: s.dir, commandLine: ['test'], engineFor: failing }), /engine blew up/);
      assertClean(await proxyStates(s.api.url));
    } finally {
      await s.close();
    }
  });

  test(`a killed run's leftovers on ${server.kind} are cleared by \`faultline reset\` and by the next run`, { skip: server.skip }, async () => {
    const s = await setup(server);
    try {
      const run = startCli(builtinRunArgs(s.file, s.api.url, join(s.dir, 'runs')));
      await eventually(() => faultsOn(s.api.url));
      run.kill('SIGKILL');
      await run.exited;
      assert.ok(await faultsOn(s.api.url), 'kill -9 left the faults on');
      const reset = await runCli(['reset', '--toxiproxy', s.api.url]);
      assert.equal(reset.code, 0, reset.stderr);
      assert.match(reset.stdout, /api \(re-enabled\)/);
      assert.match(reset.stdout, /store\/faultline_0_latency_downstream/);
      assertClean(await proxyStates(s.api.url));

      const again = startCli(builtinRunArgs(s.file, s.api.url, join(s.dir, 'runs')));
      await eventually(() => faultsOn(s.api.url));
      again.kill('SIGKILL');
      await again.exited;
      // The next run starts by clearing what the killed one left on its proxies.
      const next = await runScenario({
        scenarioFile: s.file, engine: 'builtin', toxiproxyUrl: s.api.url, outRoot: s.dir, commandLine: ['test'], durationMs: 100,
      });
      assert.ok(next.warnings.some((w) => /removed faults left by an earlier run: .*store\/faultline_0_latency_downstream/.test(w)), next.warnings.join('\n'));
      assertClean(await proxyStates(s.api.url));
    } finally {
      await s.close();
    }
  });

  test(`an invalid timeline is rejected before any traffic or fault on ${server.kind} (exit 2)`, { skip: server.skip }, async () => {
    const s = await setup(server);
    try {
      const { file } = await writeScenario({
        name: 'bad', target: { baseUrl: s.upstream.url },
        load: { executor: 'constant-arrival-rate', rate: 50, duration: '2s' },
        requests: [{ name: 'get', path: '/' }],
        proxies: [{ name: 'store', listen: '127.0.0.1:1', upstream: '127.0.0.1:2' }],
        timeline: [{ at: '1s', for: '5s', proxy: 'store', fault: { type: 'latency', attributes: { latency: 5 } } }, { at: '1s', proxy: 'db', fault: { type: 'down', attributes: {} } }],
      });
      const r = await runCli(builtinRunArgs(file, s.api.url, join(s.dir, 'runs')));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /timeline\[0\]\.for/);
      assert.match(r.stderr, /timeline\[1\]\.proxy/);
      assert.equal(s.upstream.arrivals.length, 0);
      assert.deepEqual(await proxyStates(s.api.url), []);
    } finally {
      await s.close();
    }
  });
}

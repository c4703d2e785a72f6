// `npm run demo`: a real 1000 req/s run that survives a dependency outage, on a fresh
// machine with nothing but Node. It starts the demo system (a Redis-protocol store and the
// demo service, each in its own process), the built-in Toxiproxy-compatible proxy between
// them, runs scenarios/failure-under-load.ts (the store cut from 10 s to 25 s), and prints
// the summary, the report's path and a comparison with the committed baseline. Exit code:
// 0 when every SLO passes, 1 when one fails, 3 when the run was stopped.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatSummaryTable, readComparableRun } from '../lib/report/index.ts';
import { analyzeRunOutcome, runScenario } from '../lib/run/index.ts';
import { FaultApi } from '../lib/timeline/index.ts';
import { launchProcess, launchTarget } from '../targets/launch.ts';
import { freeListenPort } from '../lib/host/index.ts';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const SCENARIO = root('scenarios/failure-under-load.ts');
const BASELINE = root('results/baselines/failure-under-load.json');
const say = (text: string) => process.stderr.write(`${text}\n`);

async function main(): Promise<number> {
  const storePort = await freeListenPort();
  const proxyPort = await freeListenPort();
  const store = await launchTarget('kv-store', ['--port', String(storePort)]);
  // The fault proxy runs like a Toxiproxy sidecar, in its own process (`faultline proxy`):
  // the store's proxy exists before the service starts, so the service connects through it
  // from its first request, and the proxy's data path does not share the engine's event loop.
  const toxiproxy = await launchProcess('faultline proxy', [root('lib/cli/bin.js'), 'proxy', '--listen', '127.0.0.1:0'], /API on (\S+)/);
  const toxiproxyUrl = toxiproxy.address;
  const faults = new FaultApi({ url: toxiproxyUrl });
  const storeProxy = { name: 'store', listen: `127.0.0.1:${proxyPort}`, upstream: `127.0.0.1:${storePort}` };
  await faults.prepare([storeProxy]);
  await faults.close();
  const service = await launchTarget('demo-service', ['--port', '0', '--store', storeProxy.listen]);
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    await waitForStore(service.address);
    say(`demo: service ${service.address}, store 127.0.0.1:${storePort} behind the fault proxy at ${storeProxy.listen} (API ${toxiproxyUrl})`);
    say('demo: 1000 req/s for 40 s; the store goes down at 10 s and comes back at 25 s ...');
    process.env.TARGET_URL = service.address;
    const baseline = existsSync(BASELINE) ? { file: BASELINE, run: await readComparableRun(BASELINE) } : undefined;
    const run = await runScenario({
      scenarioFile: SCENARIO, engine: 'builtin', toxiproxyUrl, outRoot: root('results/runs'),
      proxyListen: { store: storeProxy.listen }, proxyUpstream: { store: storeProxy.upstream },
      commandLine: ['npm', 'run', 'demo'], signal: stop.signal,
      onProgress: (p) => say(`  ${(p.elapsedMs / 1000).toFixed(0).padStart(3)} s  ${p.started} req/s  errors ${p.failed}  p99 ${Number.isNaN(p.p99Ms) ? '-' : p.p99Ms.toFixed(1)} ms`),
    });
    const analysis = await analyzeRunOutcome(run, baseline);
    say('');
    say(formatSummaryTable(analysis.summary));
    if (analysis.comparisonText) {
      say(`against ${BASELINE}:\n${analysis.comparisonText}`);
      // The baseline was recorded on another machine: two runs of one build here moved a
      // phase p99 from 6.9 to 18.5 ms. Regressions fail the nightly job (same runner, own
      // baselines); here they are shown, and the exit code is the SLO verdict.
      if (analysis.comparison?.regressions.length) say('(the demo shows regressions against the committed baseline but does not fail on them: it was recorded on another machine)');
    }
    say(`report: ${run.folder.dir}/report.html`);
    process.stdout.write(`${run.folder.dir}\n`);
    if (run.stoppedBy) return 3;
    return analysis.summary.verdict === 'fail' ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await service.stop();
    await toxiproxy.stop();
    await store.stop();
  }
}

/**
 * The service is ready once a verification is served by the store. Then every token the
 * scenario uses is verified once, as a service in production would have them cached (and
 * its code warmed up) before an outage.
 */
async function waitForStore(serviceUrl: string): Promise<void> {
  const verify = async (token: string) => {
    const res = await fetch(`${serviceUrl}/verify`, { method: 'POST', body: JSON.stringify({ token }), headers: { 'content-type': 'application/json' } });
    return res.ok ? ((await res.json()) as { source?: string }).source : undefined;
  };
  const deadline = Date.now() + 10_000;
  while ((await verify('t-0').catch(() => undefined)) !== 'store') {
    if (Date.now() > deadline) throw new Error('the demo service did not reach its store within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 100 }, (_, i) => verify(`t-${i}`)));
}

process.exitCode = await main();

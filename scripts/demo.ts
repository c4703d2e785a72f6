// `npm run demo`: a real 1000 req/s run through a dependency's failure, on a fresh machine
// with nothing but Node. It starts the demo system (a Redis-protocol store and the demo
// service, each in its own process), the built-in Toxiproxy-compatible proxy between them,
// runs scenarios/failure-under-load.ts (the store slow from 8 s to 24 s and cut off from 12 s
// to 18 s), and prints the summary, the report's path and a comparison with the committed
// baseline. Then it runs the same scenario once more against the same service started with
// `--cache-size 0` (no cache, so no fallback) and prints the two side by side: what the
// fallback is worth, and that the SLOs notice. Each run folder holds the service's own
// circuit log (service.log); the second run's folder is inside the first one's.
// Exit code (of the first run): 0 when every SLO passes, 1 when one fails, 3 when the run was stopped.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Summary } from '../lib/analysis/index.ts';
import { fmtSettle, formatSummaryTable, readComparableRun, type ComparableRun } from '../lib/report/index.ts';
import { analyzeRunOutcome, runScenario, type RunAnalysis, type RunOutcome } from '../lib/run/index.ts';
import { FaultApi } from '../lib/timeline/index.ts';
import { launchProcess, launchTarget, waitForStore } from '../targets/launch.ts';
import { freeListenPort } from '../lib/host/index.ts';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const SCENARIO = root('scenarios/failure-under-load.ts');
const BASELINE = root('results/baselines/failure-under-load.json');
const say = (text: string) => process.stderr.write(`${text}\n`);

interface DemoRun { run: RunOutcome; analysis: RunAnalysis }

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
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);

  /** One run of the scenario against a demo service of its own, started with `serviceArgs`. */
  const runOnce = async (serviceArgs: string[], outRoot: string, baseline?: { file: string; run: ComparableRun }): Promise<DemoRun> => {
    // The service's own log (one JSON line per change of its circuit) goes into the run
    // folder as service.log: what the service says happened, beside what faultline measured.
    const serviceLog: string[] = [];
    const service = await launchTarget('demo-service', ['--port', '0', '--store', storeProxy.listen, ...serviceArgs], { onLine: (line) => serviceLog.push(line) });
    try {
      await waitForStore(service.address);
      process.env.TARGET_URL = service.address;
      const run = await runScenario({
        scenarioFile: SCENARIO, engine: 'builtin', toxiproxyUrl, outRoot,
        proxyListen: { store: storeProxy.listen }, proxyUpstream: { store: storeProxy.upstream },
        commandLine: ['npm', 'run', 'demo'], signal: stop.signal,
        onProgress: (p) => say(`  ${(p.elapsedMs / 1000).toFixed(0).padStart(3)} s  ${p.started} req/s  errors ${p.failed}  p99 ${Number.isNaN(p.p99Ms) ? '-' : p.p99Ms.toFixed(1)} ms`),
      });
      await writeFile(join(run.folder.dir, 'service.log'), serviceLog.map((line) => `${line}\n`).join(''));
      return { run, analysis: await analyzeRunOutcome(run, baseline) };
    } finally {
      await service.stop();
    }
  };

  try {
    say(`demo: store 127.0.0.1:${storePort} behind the fault proxy at ${storeProxy.listen} (API ${toxiproxyUrl})`);
    say('demo: 1000 req/s for 30 s; the store is slow (+50 ms) from 8 s to 24 s and cut off from 12 s to 18 s ...');
    const baseline = existsSync(BASELINE) ? { file: BASELINE, run: await readComparableRun(BASELINE) } : undefined;
    const { run, analysis } = await runOnce([], root('results/runs'), baseline);
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
    if (!run.stoppedBy && !stop.signal.aborted) {
      say('\ndemo: the same run against the service without its cache (--cache-size 0: no fallback) ...');
      const without = await runOnce(['--cache-size', '0'], join(run.folder.dir, 'without-cache'));
      say('');
      say(sideBySide(analysis.summary, without.analysis.summary));
      say(`report: ${without.run.folder.dir}/report.html`);
    }
    process.stdout.write(`${run.folder.dir}\n`);
    if (run.stoppedBy) return 3;
    return analysis.summary.verdict === 'fail' ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await toxiproxy.stop();
    await store.stop();
  }
}

type Transition = Summary['transitions'][number];
type SloResult = Summary['slo'][number];
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const settle = (ms: number | null) => (ms === null ? 'never' : fmtSettle(ms));

/** A transition's error rate, settle and recovery times (blank when the other run has no such transition). */
function transitionCells(t: Transition | undefined): string[] {
  return t ? [pct(t.errorRate), settle(t.settleTimeMs), t.edge === 'off' ? settle(t.recoveryTimeMs) : '-'] : ['', '', ''];
}

/** An SLO result: pass or FAIL, and what was observed in the measure's unit. */
function sloCell(r: SloResult | undefined): string {
  if (!r) return '';
  const value = r.observed === null ? '-'
    : /settleTime|recovery/.test(r.measure) ? settle(r.observed)
    : /errorRate|failed/.test(r.measure) ? pct(r.observed)
    : /duration/.test(r.measure) ? `${r.observed.toFixed(1)} ms`
    : String(Number(r.observed.toPrecision(4)));
  return `${r.pass ? 'pass' : 'FAIL'} ${value}`;
}

/** The transitions and SLOs of two runs of one scenario, side by side. */
function sideBySide(a: Summary, b: Summary): string {
  const line = (head: string, left: string, right: string) => `${head.padEnd(40)}${left.padStart(27)}   ${right.padStart(27)}`;
  const cells = (c: string[]) => c.map((x) => x.padStart(9)).join('');
  return [
    line('', 'with its cache', 'without (--cache-size 0)'),
    line('transition', cells(['err%', 'settle', 'recovery']), cells(['err%', 'settle', 'recovery'])),
    ...a.transitions.map((t, i) => line(`${t.edge} ${t.proxy}:${t.type}`, cells(transitionCells(t)), cells(transitionCells(b.transitions[i])))),
    '',
    ...a.slo.map((r, i) => line(`${r.measure} ${r.condition}`, sloCell(r), sloCell(b.slo[i]))),
    '',
    line('verdict', a.verdict, b.verdict),
  ].join('\n');
}

/**
 * The service is ready once a verification is served by the store. Then every token the
 * scenario's users hold is verified once, as a service in production would have them cached
 * (and its code warmed up) before an outage.
 */

process.exitCode = await main();

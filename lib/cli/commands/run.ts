import { Command } from 'commander';
import { InvalidInputError } from '../../errors.ts';
import type { LoadProgress } from '../../engine/index.ts';
import { formatSummaryTable, readComparableRun } from '../../report/index.ts';
import { analyzeRunOutcome, runScenario } from '../../run/index.ts';
import { parseDurationMs } from '../../scenario/index.ts';
import { ENGINES, folder, oneOf, positiveNumber, toxiproxyUrl, toxiproxyUrlFrom, type Engine } from '../option-parsers.ts';
import { NO_EARLY_STOP, type EarlyStop } from '../early-stop.ts';
import { EXIT } from '../exit-codes.ts';

// `faultline run`: options in, words out. The run itself is lib/run.

interface RunCliOptions {
  engine: Engine; k6?: string; toxiproxy?: string; rate?: number; duration?: string; out: string; baseline?: string;
  proxyListen: Record<string, string>; proxyUpstream: Record<string, string>; process: Record<string, string>; allowHost: string[];
}

export function runCommand(earlyStop: EarlyStop = NO_EARLY_STOP): Command {
  return new Command('run')
    .description('run a scenario: the load and the fault timeline from the same t0, then analysis; prints the run folder')
    .argument('<scenario>', 'scenario file (.ts or .js)')
    .option('--engine <engine>', 'auto (k6 when on PATH), builtin or k6', oneOf('--engine', ENGINES), 'auto')
    .option('--k6 <path>', 'the k6 executable to use')
    .option('--toxiproxy <url>', 'a Toxiproxy API to use instead of the built-in proxy (default $TOXIPROXY_URL)', toxiproxyUrl)
    .option('--rate <n>', "replace the load's rate (iterations per timeUnit)", positiveNumber('--rate'))
    .option('--duration <d>', 'shorten the load (e.g. 10s); the timeline is clipped, with a warning')
    .option('--out <dir>', 'where run folders are created', folder('--out'), 'results/runs')
    .option('--baseline <file>', 'compare with this baseline (or summary.json); a regression exits 1')
    .option('--proxy-listen <name=host:port>', 'where a proxy listens (repeatable)', collect('name=host:port'), {})
    .option('--proxy-upstream <name=host:port>', 'where a proxy forwards to (repeatable)', collect('name=host:port'), {})
    .option('--process <name=selector>', "which process a scenario's process is: name=pid:N, name=pid-file:PATH or name=match:TEXT (repeatable)", collect('name=pid:N, name=pid-file:PATH or name=match:TEXT'), {})
    .option('--allow-host <host>', 'a host other than loopback that may receive traffic or faults (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .action(async (file: string, opts: RunCliOptions) => {
      process.exitCode = await run(file, opts, earlyStop);
    });
}

async function run(file: string, opts: RunCliOptions, earlyStop: EarlyStop): Promise<number> {
  // Bad input must fail before any traffic or fault: options and the baseline here, the
  // scenario (and, under k6, its bundle) in runScenario before anything is sent.
  const toxiproxy = toxiproxyUrlFrom(opts.toxiproxy);
  const durationMs = opts.duration === undefined ? undefined : parseDuration(opts.duration);
  const baseline = opts.baseline ? { file: opts.baseline, run: await readComparableRun(opts.baseline) } : undefined;
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => { process.stderr.write(`\n${signal}: stopping the load and removing the faults\n`); stop.abort(signal); };
  const onCrash = (error: unknown) => { process.stderr.write(`\nfaultline: unexpected error, stopping: ${String(error)}\n`); stop.abort(error); };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal).on('uncaughtException', onCrash);
  earlyStop.release();
  if (earlyStop.signal) onSignal(earlyStop.signal);
  const status = process.stderr.isTTY ? (p: LoadProgress) => process.stderr.write(`\r${statusLine(p)}\x1b[K`) : undefined;
  let outcome;
  try {
    outcome = await runScenario({
      scenarioFile: file, engine: opts.engine, k6Path: opts.k6, toxiproxyUrl: toxiproxy,
      rate: opts.rate, durationMs, outRoot: opts.out, proxyListen: opts.proxyListen, proxyUpstream: opts.proxyUpstream,
      processes: opts.process, allowHosts: opts.allowHost, commandLine: ['faultline', ...process.argv.slice(2)], signal: stop.signal,
      // k6's own output goes to stderr: stdout carries only the run folder's path.
      onOutput: (text) => process.stderr.write(text),
      onProgress: status,
    });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('uncaughtException', onCrash);
    if (status) process.stderr.write('\n');
  }
  for (const w of outcome.warnings) process.stderr.write(`warning: ${w}\n`);
  if (outcome.stoppedBy && outcome.events === null) {
    process.stderr.write(`faultline: the run did not start: ${outcome.stoppedBy.reason} before the load began: no load was started and no fault was applied (${outcome.folder.dir})\n`);
    process.stdout.write(`${outcome.folder.dir}\n`);
    return EXIT.couldNotComplete;
  }
  const analysis = await analyzeRunOutcome(outcome, baseline);
  process.stderr.write(formatSummaryTable(analysis.summary));
  if (analysis.comparisonText) process.stderr.write(`${analysis.comparisonText}\n`);
  process.stdout.write(`${outcome.folder.dir}\n`);
  if (outcome.faultTrouble) {
    const { failedCalls, mayRemain, resetCommand } = outcome.faultTrouble;
    process.stderr.write('faultline: the faults did not go as scheduled, so this run did not measure its scenario:\n');
    for (const call of failedCalls) process.stderr.write(`  - failed: ${call}\n`);
    if (mayRemain.length) process.stderr.write(`faultline: may still be faulted: ${mayRemain.join(', ')}\n  clear it with: ${resetCommand}\n`);
  }
  if (outcome.stoppedBy) {
    process.stderr.write(`faultline: the run did not complete: ${outcome.stoppedBy.reason}; what was measured is in ${outcome.folder.dir}\n`);
    return EXIT.couldNotComplete;
  }
  if (outcome.faultTrouble) return EXIT.couldNotComplete;
  const regressed = (analysis.comparison?.regressions.length ?? 0) > 0;
  return analysis.summary.verdict === 'fail' || regressed ? EXIT.failed : EXIT.ok;
}

/** A repeatable `name=value` option, gathered by name. */
const collect = (form: string) => (value: string, all: Record<string, string>): Record<string, string> => {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidInputError('bad option', [{ path: value, expected: form }]);
  return { ...all, [value.slice(0, at)]: value.slice(at + 1) };
};

function parseDuration(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0) throw new InvalidInputError('bad --duration', [{ path: '--duration', value, expected: 'a duration above 0 such as 30s or 1m30s' }]);
  return ms;
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(0));

function statusLine(p: LoadProgress): string {
  return `${(p.elapsedMs / 1000).toFixed(0)}s  ${p.started} req/s  in flight ${p.inFlight}  errors ${p.totalFailed}` +
    `  p99 ${ms(p.p99Ms)} ms (from intended start ${ms(p.intendedP99Ms)} ms)  dropped ${p.totalDropped}`;
}

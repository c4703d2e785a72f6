import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { InvalidInputError, RunFailedError } from '../../errors.ts';
import { probeTarget, runLoad, type LoadProgress, type LoadResult } from '../../engine/index.ts';
import { parseDurationMs } from '../../scenario/index.ts';
import { loadScenario, positiveNumber } from '../scenario-input.ts';

// `faultline run`: load and validate the scenario, probe the target, run the load into a
// new run folder, print the folder. Orchestration only: the engine lives in lib/engine.

interface RunOptions { engine: string; rate?: number; duration?: string; out: string }

export function runCommand(): Command {
  return new Command('run')
    .description('run a scenario: load (and later faults) against the target; prints the run folder')
    .argument('<scenario>', 'scenario file (.ts or .js)')
    .option('--engine <engine>', 'load engine: builtin', 'builtin')
    .option('--rate <n>', "replace the load's rate (iterations per timeUnit)", positiveNumber('--rate'))
    .option('--duration <d>', "shorten the load (e.g. 10s, 1m30s)")
    .option('--out <dir>', 'where run folders are created', 'results/runs')
    .action(async (file: string, opts: RunOptions) => {
      if (opts.engine !== 'builtin') throw new InvalidInputError('bad --engine', [{ path: '--engine', value: opts.engine, expected: 'builtin' }]);
      const durationMs = opts.duration === undefined ? undefined : parseDuration(opts.duration);
      const { scenario, warnings } = await loadScenario(file, { rate: opts.rate, durationMs });
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      await probeTarget(scenario.baseUrl);

      const dir = await createRunFolder(opts.out, scenario.name);
      await writeJson(join(dir, 'scenario.json'), scenario);
      const stop = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => { process.stderr.write(`\n${signal}: stopping the load\n`); stop.abort(signal); };
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      const status = process.stderr.isTTY ? (p: LoadProgress) => process.stderr.write(`\r${statusLine(p)}\x1b[K`) : undefined;
      let result: LoadResult;
      try {
        result = await runLoad({ scenario, samplesFile: join(dir, 'samples.json.gz'), signal: stop.signal, onProgress: status });
      } finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
        if (status) process.stderr.write('\n');
      }
      await writeJson(join(dir, 'run.json'), {
        command: ['faultline', ...process.argv.slice(2)], cwd: process.cwd(), engine: 'builtin',
        versions: versions(),
        result,
      });
      process.stderr.write(`${summary(result)}\n`);
      process.stdout.write(`${dir}\n`);
      if (result.aborted) throw new RunFailedError(`load stopped early by ${String(stop.signal.reason)}; samples so far are in ${dir}`);
    });
}

function parseDuration(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0) throw new InvalidInputError('bad --duration', [{ path: '--duration', value, expected: 'a duration above 0 such as 30s or 1m30s' }]);
  return ms;
}

/** results/runs/<UTC yyyymmddThhmmssZ>-<name>, with -2, -3... if that exists already. */
async function createRunFolder(parent: string, name: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  await mkdir(parent, { recursive: true });
  for (let n = 1; ; n++) {
    const dir = resolve(parent, `${stamp}-${name}${n > 1 ? `-${n}` : ''}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** JSON without functions (request bodies and checks written as functions show as "[function]"). */
function writeJson(path: string, value: unknown): Promise<void> {
  return writeFile(path, `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'function' ? '[function]' : v), 2)}\n`);
}

function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const version = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  return {
    faultline: version(new URL('../../../package.json', import.meta.url).pathname),
    node: process.version,
    undici: version(require.resolve('undici/package.json')),
  };
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(0));

function statusLine(p: LoadProgress): string {
  return `${(p.elapsedMs / 1000).toFixed(0)}s  ${p.started} req/s  in flight ${p.inFlight}  errors ${p.totalFailed}` +
    `  p99 ${ms(p.p99Ms)} ms (from intended start ${ms(p.intendedP99Ms)} ms)  dropped ${p.totalDropped}`;
}

function summary(r: LoadResult): string {
  return `sent ${r.sent} (${r.achievedRatePerSec.toFixed(1)}/s), completed ${r.completed}, failed ${r.failed}, dropped ${r.dropped}` +
    `, interrupted ${r.interrupted}; scheduler lag p99 ${ms(r.schedulerLagMs.p99)} ms, max ${ms(r.schedulerLagMs.max)} ms`;
}

import { Command } from 'commander';
import { InvalidInputError } from '../../errors.ts';
import { compareRuns, formatComparison, parseTolerances, readComparableRun } from '../../report/index.ts';
import { EXIT } from '../exit-codes.ts';

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare a run with a baseline side by side; exit 1 when worse beyond tolerance and beyond noise')
    .argument('<summary>', "the run's summary.json")
    .argument('<baseline>', 'a baseline file (faultline baseline) or another summary.json')
    .option('--tolerance <spec>', 'override tolerances, e.g. p99=15%,p99=2ms,errorRate=0.02 (keys p50 p95 p99 errorRate rate settle; see README)')
    .option('--alpha <p>', 'significance level of the noise test (one-sided Mann-Whitney U)', '0.05')
    .option('--json', 'print the comparison as JSON instead of a table')
    .action(async (summaryPath: string, baselinePath: string, opts: { tolerance?: string; alpha: string; json?: boolean }) => {
      const tolerances = parseTolerances(opts.tolerance);
      const alpha = Number(opts.alpha);
      if (!(alpha > 0 && alpha < 1)) throw new InvalidInputError('invalid --alpha', [{ path: '--alpha', value: opts.alpha, expected: 'a probability between 0 and 1, such as 0.05' }]);
      const [now, baseline] = await Promise.all([readComparableRun(summaryPath), readComparableRun(baselinePath)]);
      if (now.scenario.name !== baseline.scenario.name) {
        process.stderr.write(`warning: comparing scenario "${now.scenario.name}" with a baseline of "${baseline.scenario.name}"\n`);
      }
      const comparison = compareRuns(now, baseline, { tolerances, alpha });
      const taken = baseline.baselineOf ? ` (baseline of ${baseline.baselineOf.source}, taken ${baseline.baselineOf.createdAt})` : '';
      process.stdout.write(opts.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison, { now: summaryPath, baseline: `${baselinePath}${taken}` }));
      process.exitCode = comparison.regressions.length > 0 ? EXIT.failed : EXIT.ok;
    });
}

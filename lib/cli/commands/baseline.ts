import { Command } from 'commander';
import { defaultBaselinePath, makeBaseline, readComparableRun, writeBaseline } from '../../report/index.ts';
import { outputFile } from '../option-parsers.ts';

export function baselineCommand(): Command {
  return new Command('baseline')
    .description('write a baseline file from a run, for `faultline compare` and `run --baseline`')
    .argument('<summary>', "the run's summary.json")
    .option('--out <file>', 'where to write it (default results/baselines/<scenario>.json)', outputFile('--out'))
    .action(async (summaryPath: string, opts: { out?: string }) => {
      const run = await readComparableRun(summaryPath);
      const out = opts.out ?? defaultBaselinePath(run.scenario.name);
      await writeBaseline(makeBaseline(run, summaryPath), out);
      process.stdout.write(`${out}\n`);
    });
}

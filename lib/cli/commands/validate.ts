import { Command } from 'commander';
import { InvalidInputError, formatProblem } from '../../errors.ts';
import { checkBundle } from '../../k6/index.ts';
import { loadScenario } from '../../scenario/index.ts';
import { ENGINES, oneOf, type Engine } from '../option-parsers.ts';

// `faultline validate`: everything `run` and `build` would refuse, found without sending
// anything. A scenario k6 cannot run (a Node built-in, say) is refused like `build` refuses
// it, since `--engine auto` picks k6 wherever k6 is installed; `--engine builtin` says the
// scenario is meant for the built-in engine only, and turns that refusal into a warning.

export function validateCommand(): Command {
  return new Command('validate')
    .description('check scenario files without sending traffic; exit 2 listing every problem')
    .argument('<scenario...>', 'scenario files (.ts or .js)')
    .option('--engine <engine>', 'auto or k6: also checks that k6 can run them, as build does; builtin: only a warning if not', oneOf('--engine', ENGINES), 'auto')
    .action(async (files: string[], opts: { engine: Engine }) => {
      for (const file of files) {
        const { scenario, warnings } = await loadScenario(file);
        warnings.push(...(await k6Problems(file, opts.engine === 'builtin')));
        const { load } = scenario;
        const rate = (load.startRate * 1000) / load.timeUnitMs;
        process.stdout.write(
          `ok ${file}: ${scenario.name}, ${load.executor} from ${rate} req/s for ${load.durationMs / 1000}s, ` +
            `${scenario.requests.length} request(s), ${scenario.proxies.length} proxy(ies), ${scenario.timeline.length} fault step(s)\n`,
        );
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      }
    });
}

/** What `build` would refuse: thrown, or with `builtinOnly` returned as warnings. */
async function k6Problems(file: string, builtinOnly: boolean): Promise<string[]> {
  try {
    await checkBundle(file);
    return [];
  } catch (error) {
    if (!builtinOnly || !(error instanceof InvalidInputError)) throw error;
    return [`${file} cannot be bundled for k6: ${error.problems.map(formatProblem).join('; ')}; it runs only with --engine builtin`];
  }
}

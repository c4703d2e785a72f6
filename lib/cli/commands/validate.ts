import { Command } from 'commander';
import { loadScenario } from '../../scenario/index.ts';

export function validateCommand(): Command {
  return new Command('validate')
    .description('check scenario files without sending traffic; exit 2 listing every problem')
    .argument('<scenario...>', 'scenario files (.ts or .js)')
    .action(async (files: string[]) => {
      for (const file of files) {
        const { scenario, warnings } = await loadScenario(file);
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

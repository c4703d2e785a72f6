import { Command } from 'commander';
import { k6InspectOutput } from '../../k6/index.ts';
import { loadScenario } from '../../scenario/index.ts';

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('print the k6 options a scenario resolves to, as `k6 inspect` prints them')
    .argument('<scenario>', 'scenario file (.ts or .js)')
    .action(async (file: string) => {
      const { scenario } = await loadScenario(file, { env: {} });
      process.stdout.write(`${JSON.stringify(k6InspectOutput(scenario.definition), null, 2)}\n`);
    });
}

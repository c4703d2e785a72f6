import { Command } from 'commander';
import { InvalidInputError } from '../../errors.ts';
import { bundleScenario } from '../../k6/index.ts';
import { loadScenario } from '../scenario-input.ts';

export function buildCommand(): Command {
  return new Command('build')
    .description('bundle scenarios into k6 scripts (dist/<name>.js) with esbuild')
    .argument('<scenario...>', 'scenario files (.ts or .js)')
    .option('--out-dir <dir>', 'where the bundles go', 'dist')
    .action(async (files: string[], opts: { outDir: string }) => {
      const resolved = [];
      for (const file of files) resolved.push({ file, ...(await loadScenario(file, { env: {} })) });
      const seen = new Map<string, string>();
      for (const { file, scenario } of resolved) {
        const other = seen.get(scenario.name);
        if (other) throw new InvalidInputError('two scenarios share a name', [{ path: `${file} (name)`, value: scenario.name, expected: `a name not used by ${other}` }]);
        seen.set(scenario.name, file);
      }
      for (const { file, scenario } of resolved) {
        const out = await bundleScenario(file, { outDir: opts.outDir, name: scenario.name });
        process.stdout.write(`${out}\n`);
      }
    });
}

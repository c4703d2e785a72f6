import { Command } from 'commander';
import { InvalidInputError } from '../../errors.ts';
import { bundleScenario } from '../../k6/index.ts';
import { loadScenario, type ResolvedScenario } from '../../scenario/index.ts';
import { folder } from '../option-parsers.ts';

export function buildCommand(): Command {
  return new Command('build')
    .description('bundle scenarios into k6 scripts (dist/<name>.js) with esbuild')
    .argument('<scenario...>', 'scenario files (.ts or .js)')
    .option('--out-dir <dir>', 'where the bundles go', folder('--out-dir'), 'dist')
    .option('--timeline-in-k6', 'compile the fault timeline into the script (a one-VU k6 scenario calling the Toxiproxy API at $TOXIPROXY_URL), for distributed k6')
    .action(async (files: string[], opts: { outDir: string; timelineInK6?: boolean }) => {
      const resolved = [];
      for (const file of files) resolved.push({ file, ...(await loadScenario(file, { env: {} })) });
      const seen = new Map<string, string>();
      for (const { file, scenario } of resolved) {
        const other = seen.get(scenario.name);
        if (other) throw new InvalidInputError('two scenarios share a name', [{ path: `${file} (name)`, value: scenario.name, expected: `a name not used by ${other}` }]);
        seen.set(scenario.name, file);
        if (opts.timelineInK6) refuseProcessSteps(file, scenario);
      }
      for (const { file, scenario } of resolved) {
        const out = await bundleScenario(file, { outDir: opts.outDir, name: scenario.name, timelineInK6: opts.timelineInK6 ?? false });
        process.stdout.write(`${out}\n`);
      }
    });
}

/** k6 reaches Toxiproxy over HTTP, but no local process: those steps need `faultline run`'s own controller. */
function refuseProcessSteps(file: string, scenario: ResolvedScenario): void {
  const steps = scenario.timeline.filter((s) => s.targetKind !== 'proxy');
  if (steps.length === 0) return;
  throw new InvalidInputError(`${file}: --timeline-in-k6 cannot switch process faults`, steps.map((s) => ({
    path: `timeline[${s.index}]`,
    value: `${s.fault.type} on ${s.target}`,
    expected: 'a network fault (k6 can only call the Toxiproxy API); run this scenario with `faultline run`, whose controller applies process faults beside either engine',
  })));
}

import { FAULTLINE_VERSION as version } from '../run/versions.ts';
import { Command } from 'commander';
import { analyzeCommand } from './commands/analyze.ts';
import { baselineCommand } from './commands/baseline.ts';
import { buildCommand } from './commands/build.ts';
import { compareCommand } from './commands/compare.ts';
import { inspectCommand } from './commands/inspect.ts';
import { proxyCommand } from './commands/proxy.ts';
import { resetCommand } from './commands/reset.ts';
import { runCommand } from './commands/run.ts';
import { validateCommand } from './commands/validate.ts';


/** Every command, in the order `--help` lists them. Adding a command adds one line here. */
const COMMANDS: Array<() => Command> = [
  validateCommand,
  buildCommand,
  inspectCommand,
  resetCommand,
  runCommand,
  analyzeCommand,
  compareCommand,
  baselineCommand,
  proxyCommand,
];

export function createProgram(): Command {
  const program = new Command('faultline')
    .description('Load generator with synchronized fault timelines (k6 + Toxiproxy compatible).')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  for (const make of COMMANDS) program.addCommand(make().exitOverride().showHelpAfterError());
  return program;
}

export { version as faultlineVersion };

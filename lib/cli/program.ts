import { Command } from 'commander';
import { FAULTLINE_VERSION } from '../run/versions.ts';
import { RunFailedError } from '../errors.ts';
import { NO_EARLY_STOP, type EarlyStop } from './early-stop.ts';
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
const COMMANDS: Array<(earlyStop: EarlyStop) => Command> = [
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

export function createProgram(earlyStop: EarlyStop = NO_EARLY_STOP): Command {
  const program = new Command('faultline')
    .description('Load generator with synchronized fault timelines (k6 + Toxiproxy compatible).')
    .version(FAULTLINE_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  for (const make of COMMANDS) program.addCommand(make(earlyStop).exitOverride().showHelpAfterError());
  // `run` takes over the early signals itself; any other command stopped while loading stops here.
  program.hook('preAction', (_program, command) => {
    if (command.name() === 'run') return;
    earlyStop.release();
    if (earlyStop.signal) throw new RunFailedError(`stopped by ${earlyStop.signal}`);
  });
  return program;
}

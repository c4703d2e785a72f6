import { CommanderError } from 'commander';
import { InvalidInputError, RunFailedError } from '../errors.ts';
import { createProgram } from './program.ts';
import { NO_EARLY_STOP, type EarlyStop } from './early-stop.ts';
import { EXIT } from './exit-codes.ts';

/** Runs the CLI and returns the exit code; the only place errors become words and codes. */
export async function main(argv: string[], earlyStop: EarlyStop = NO_EARLY_STOP): Promise<number> {
  const program = createProgram(earlyStop);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and --version "fail" with these codes; usage errors were already printed.
    const informational = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    return informational.includes(error.code) ? EXIT.ok : EXIT.invalid;
  }
  if (error instanceof InvalidInputError) {
    process.stderr.write(`faultline: ${error.message}\n`);
    return EXIT.invalid;
  }
  if (error instanceof RunFailedError) {
    process.stderr.write(`faultline: ${error.message}\n`);
    return EXIT.couldNotComplete;
  }
  process.stderr.write(`faultline: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
  return EXIT.couldNotComplete;
}

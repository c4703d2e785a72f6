import { Command } from 'commander';
import { finishUndoFiles, stateDir } from '../../processes/index.ts';
import { FaultApi } from '../../timeline/index.ts';
import { RunFailedError, errorMessage } from '../../errors.ts';
import { toxiproxyUrl, toxiproxyUrlFrom } from '../option-parsers.ts';

const DEFAULT_TOXIPROXY = 'http://127.0.0.1:8474';

export function resetCommand(): Command {
  return new Command('reset')
    .description('remove faults left by a run that was killed: paused processes continued, owed commands run, faultline toxics deleted, disabled proxies re-enabled')
    .option('--toxiproxy <url>', `Toxiproxy API (default $TOXIPROXY_URL or ${DEFAULT_TOXIPROXY})`, toxiproxyUrl)
    .option('--all', "Toxiproxy's own POST /reset: every toxic removed, faultline's or not")
    .action(async (opts: { toxiproxy?: string; all?: boolean }) => {
      const processFailures = await resetProcesses();
      const named = toxiproxyUrlFrom(opts.toxiproxy);
      await resetToxiproxy(named ?? DEFAULT_TOXIPROXY, named !== undefined, opts.all ?? false);
      if (processFailures.length) throw new RunFailedError(`some process faults could not be undone:\n${processFailures.map((f) => `  ${f}`).join('\n')}`);
    });
}

/** Finishes what killed runs owed their processes (see lib/processes/undo-file.ts); answers the failures. */
async function resetProcesses(): Promise<string[]> {
  const { done, failed, running } = await finishUndoFiles('inherit');
  for (const line of done) process.stdout.write(`undone: ${line}\n`);
  for (const pid of running) process.stdout.write(`left to run ${pid}, still going: it undoes its own process faults (${stateDir()})\n`);
  return failed;
}

/**
 * Clears faultline's faults on a Toxiproxy. With no URL given, a Toxiproxy that is not there
 * has nothing to clear (a run on the built-in proxy took its faults with it): said, not failed.
 */
async function resetToxiproxy(url: string, named: boolean, all: boolean): Promise<void> {
  const api = new FaultApi({ url });
  try {
    if (all) {
      await api.reset();
      process.stdout.write(`reset ${url}: every proxy enabled, every toxic removed\n`);
      return;
    }
    const cleared = await api.clearLeftovers();
    process.stdout.write(cleared.length ? `cleared on ${url}:\n${cleared.map((c) => `  ${c}`).join('\n')}\n` : `nothing to clear on ${url}\n`);
  } catch (error) {
    if (!named && isRefused(error)) {
      process.stdout.write(`no Toxiproxy at ${url} (none named with --toxiproxy or TOXIPROXY_URL): nothing to clear there\n`);
      return;
    }
    throw new RunFailedError(`cannot reset faults at ${url}: ${errorMessage(error)}`, error);
  } finally {
    await api.close();
  }
}

function isRefused(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED') return true;
  }
  return false;
}

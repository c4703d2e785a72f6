import { Command } from 'commander';
import { FaultApi } from '../../timeline/index.ts';
import { RunFailedError, errorMessage } from '../../errors.ts';
import { toxiproxyUrl, toxiproxyUrlFrom } from '../option-parsers.ts';

export function resetCommand(): Command {
  return new Command('reset')
    .description('remove faults left by a run that was killed: faultline toxics deleted, disabled proxies re-enabled')
    .option('--toxiproxy <url>', 'Toxiproxy API (default $TOXIPROXY_URL or http://127.0.0.1:8474)', toxiproxyUrl)
    .option('--all', "Toxiproxy's own POST /reset: every toxic removed, faultline's or not")
    .action(async (opts: { toxiproxy?: string; all?: boolean }) => {
      const url = toxiproxyUrlFrom(opts.toxiproxy) ?? 'http://127.0.0.1:8474';
      const api = new FaultApi({ url });
      try {
        if (opts.all) {
          await api.reset();
          process.stdout.write(`reset ${url}: every proxy enabled, every toxic removed\n`);
          return;
        }
        const cleared = await api.clearLeftovers();
        process.stdout.write(cleared.length ? `cleared on ${url}:\n${cleared.map((c) => `  ${c}`).join('\n')}\n` : `nothing to clear on ${url}\n`);
      } catch (error) {
        throw new RunFailedError(`cannot reset faults at ${url}: ${errorMessage(error)}`, error);
      } finally {
        await api.close();
      }
    });
}

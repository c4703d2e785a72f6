import { Command } from 'commander';
import { InvalidInputError } from '../../errors.ts';
import { splitHostPort, startProxyServer, TOXIPROXY_VERSION } from '../../proxy/index.ts';

/** `faultline proxy`: the built-in Toxiproxy-compatible proxy, until SIGINT or SIGTERM. */
export function proxyCommand(): Command {
  return new Command('proxy')
    .description(`run the built-in Toxiproxy-compatible fault proxy (API of Toxiproxy ${TOXIPROXY_VERSION}) until Ctrl-C`)
    .option('--listen <host:port>', 'address of the HTTP API', '127.0.0.1:8474')
    .action(async (opts: { listen: string }) => {
      const address = splitHostPort(opts.listen);
      if ('error' in address || address.host === '') {
        throw new InvalidInputError('invalid option', [{ path: '--listen', value: opts.listen, expected: 'host:port, e.g. 127.0.0.1:8474' }]);
      }
      // Fails with RunFailedError (exit 3) when the address is taken or cannot be bound.
      const server = await startProxyServer({ host: address.host, port: address.port });
      process.stdout.write(`faultline proxy: Toxiproxy API on ${server.url}\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
      await server.close();
      process.stdout.write(`faultline proxy: stopped (${signal})\n`);
    });
}

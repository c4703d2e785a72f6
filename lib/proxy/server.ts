import type { AddressInfo } from 'node:net';
import { RunFailedError } from '../errors.ts';
import { createApiServer } from './api.ts';
import { joinHostPort } from './address.ts';
import { ProxyCollection } from './proxy-collection.ts';

// The built-in proxy in this thread: the Toxiproxy HTTP API (api.ts) over the collection of
// proxies it creates. Its one owner closes it: close() stops the API, every proxy and every
// connection.

export interface ProxyServerOptions {
  /** Interface of the API (default 127.0.0.1: loopback unless a host is named). */
  host?: string;
  /** Port of the API (default 8474, Toxiproxy's; 0 picks a free one). */
  port?: number;
}

export interface ProxyServer {
  /** The API's base URL, e.g. http://127.0.0.1:8474 */
  url: string;
  /** Stops the API and every proxy, and closes every connection. */
  close(): Promise<void>;
}

/** Starts the API; proxies are then created through it. Fails with RunFailedError if it cannot listen. */
export async function startProxyServer(options: ProxyServerOptions = {}): Promise<ProxyServer> {
  const host = options.host ?? '127.0.0.1';
  const proxies = new ProxyCollection();
  const server = createApiServer(proxies);
  server.keepAliveTimeout = 60_000; // Toxiproxy's idle timeout
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new RunFailedError(`cannot listen on ${joinHostPort(host, options.port ?? 8474)}: ${error.message}`, error)));
    server.listen(options.port ?? 8474, host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${joinHostPort(address, port)}`,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await proxies.close();
        await stopped;
      })();
      return closing;
    },
  };
}

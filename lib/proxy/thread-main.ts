// The proxy thread (see thread.ts): serves the built-in proxy until the parent says `close`,
// then closes every proxy and connection and ends the thread.
import { parentPort, workerData } from 'node:worker_threads';
import { startProxyServer, type ProxyServerOptions } from './server.ts';
import type { ProxyThreadReady } from './thread.ts';
import { errorMessage } from '../errors.ts';

const port = parentPort!;
const say = (message: ProxyThreadReady) => port.postMessage(message);
try {
  const server = await startProxyServer((workerData as { data: ProxyServerOptions }).data);
  port.once('message', () => {
    void server.close().finally(() => port.close());
  });
  say({ url: server.url });
} catch (error) {
  say({ error: errorMessage(error) });
}

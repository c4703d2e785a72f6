import { once } from 'node:events';
import { RunFailedError } from '../errors.ts';
import { firstMessage, startWorker } from '../host/index.ts';
import type { ProxyServer, ProxyServerOptions } from './index.ts';

/** What the proxy thread says once it is listening, or why it could not. */
export type ProxyThreadReady = { url: string } | { error: string };

/**
 * The built-in proxy on a worker thread of its own, as `faultline run` embeds it: its data
 * path and its API then share no event loop with the load engine, so neither delays the
 * other (a `down` closes every connection at once, and the engine's burst of errors that
 * follows would otherwise sit between the API's answer and the controller reading it).
 */
export async function startProxyThread(options: ProxyServerOptions = {}): Promise<ProxyServer> {
  const worker = startWorker(new URL('./thread-main.ts', import.meta.url), options);
  const ready = await firstMessage<ProxyThreadReady>(worker, 'the built-in proxy thread');
  if ('error' in ready) {
    await worker.terminate();
    throw new RunFailedError(ready.error);
  }
  // Should the thread fail later, its proxies are gone and the traffic through them fails,
  // which the run measures; the error is reported when the proxy is closed.
  let failure: Error | null = null;
  worker.on('error', (error) => { failure = error; });
  const exited = once(worker, 'exit');
  let closing: Promise<void> | undefined;
  return {
    url: ready.url,
    close: () => {
      closing ??= (async () => {
        worker.postMessage('close');
        await exited;
        if (failure) throw new RunFailedError(`the built-in proxy thread failed: ${(failure as Error).message}`, failure);
      })();
      return closing;
    },
  };
}

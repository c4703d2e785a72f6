import { RunFailedError } from '../errors.ts';
import { WorkerThread } from '../host/index.ts';
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
  const thread = new WorkerThread(new URL('./thread-main.ts', import.meta.url), options, 'the built-in proxy thread');
  const ready = await thread.nextMessage<ProxyThreadReady>();
  if ('error' in ready) {
    await thread.terminate();
    throw new RunFailedError(ready.error);
  }
  let closing: Promise<void> | undefined;
  return {
    url: ready.url,
    close: () => {
      // Should the thread have failed during the run, its proxies went with it (the run
      // measured the traffic failing); its error is reported here.
      closing ??= (async () => {
        thread.post('close');
        await thread.exited;
        if (thread.failure) throw new RunFailedError(`${thread.what} failed: ${thread.failure.message}`, thread.failure);
      })();
      return closing;
    },
  };
}

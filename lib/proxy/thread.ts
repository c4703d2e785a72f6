import { RunFailedError } from '../errors.ts';
import { WorkerThread } from '../host/index.ts';
import type { ProxyServer, ProxyServerOptions } from './server.ts';

/** What the proxy thread says once it is listening, or why it could not. */
export type ProxyThreadReady = { url: string } | { error: string };

/**
 * The built-in proxy on a worker thread of its own, as `faultline run` embeds it: its data
 * path and its API then share no event loop with the load engine, so neither delays the
 * other (a `down` closes every connection at once, and the engine's burst of errors that
 * follows would otherwise sit between the API's answer and the controller reading it).
 */
export async function startProxyThread(options: ProxyServerOptions = {}): Promise<ProxyThread> {
  const thread = new WorkerThread(new URL('./thread-main.ts', import.meta.url), options, 'the built-in proxy thread');
  const ready = await thread.nextMessage<ProxyThreadReady>();
  if ('error' in ready) {
    await thread.terminate();
    throw new RunFailedError(ready.error);
  }
  return new ProxyThread(ready.url, thread);
}

export class ProxyThread implements ProxyServer {
  /** Settles if the thread ends before close() (its proxies and connections went with it). */
  readonly failed: Promise<RunFailedError>;
  private closing: Promise<void> | undefined;

  constructor(readonly url: string, private readonly thread: WorkerThread) {
    this.failed = thread.exited.then(() => (this.closing ? new Promise<never>(() => {}) : this.failure()));
  }

  /** Ends the thread; rejects with the thread's error if it failed while closing. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    if (this.thread.ended) return Promise.resolve(); // it failed earlier, and `failed` said so
    this.closing = (async () => {
      this.thread.post('close');
      await this.thread.exited;
      if (this.thread.failure) throw this.failure();
    })();
    return this.closing;
  }

  private failure(): RunFailedError {
    const cause = this.thread.failure;
    return new RunFailedError(`${this.thread.what} failed: ${cause ? cause.message : 'it ended unexpectedly'}`, cause);
  }
}

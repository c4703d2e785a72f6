import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/**
 * One of faultline's worker threads, running a TypeScript module of faultline's (which reads
 * `data` as `workerData.data`). Loading tsx there takes about 250 ms. It keeps how the
 * thread ended, so an uncaught error in it is reported by its owner and never becomes an
 * unhandled 'error' event on the main thread.
 */
export class WorkerThread {
  private readonly worker: Worker;
  /** Settles when the thread has ended. */
  readonly exited: Promise<void>;
  ended = false;
  /** The thread's uncaught error, if it had one. */
  failure: Error | null = null;

  constructor(
    moduleUrl: URL,
    data: unknown,
    /** What the thread is, for messages ("the timeline thread"). */
    readonly what: string,
  ) {
    this.worker = new Worker(new URL('./worker-boot.js', import.meta.url), { workerData: { module: moduleUrl.href, data } });
    this.worker.on('error', (error) => { this.failure = error; });
    this.worker.once('exit', () => { this.ended = true; });
    this.exited = once(this.worker, 'exit').then(() => undefined);
  }

  post(message: unknown): void {
    this.worker.postMessage(message);
  }

  /** Calls `listener` with every message the thread sends from now on. */
  onMessage<T>(listener: (message: T) => void): void {
    this.worker.on('message', listener);
  }

  /** The thread's next message; rejects if the thread ends (or has ended) first. */
  nextMessage<T>(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.ended) return reject(this.failure ?? new Error(`${this.what} has ended`));
      const onExit = (code: number) => reject(this.failure ?? new Error(`${this.what} ended (exit code ${code}) before it answered`));
      this.worker.once('exit', onExit);
      this.worker.once('message', (message: T) => {
        this.worker.off('exit', onExit);
        resolve(message);
      });
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

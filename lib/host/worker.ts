import { Worker } from 'node:worker_threads';

/**
 * Starts `moduleUrl` (a TypeScript module of faultline's) on a worker thread of its own;
 * the module reads `data` as `workerData.data`. Loading tsx there takes about 250 ms.
 */
export function startWorker(moduleUrl: URL, data: unknown): Worker {
  return new Worker(new URL('./worker-boot.js', import.meta.url), { workerData: { module: moduleUrl.href, data } });
}

/** The worker's first message, or its failure to start (an error, or an exit before it spoke). */
export function firstMessage<T>(worker: Worker, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`${what} exited with code ${code} before it started`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: T) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(message);
    });
  });
}

import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { RunFailedError } from '../errors.ts';
import { firstMessage, startWorker } from '../host/index.ts';
import type { ResolvedStep } from '../scenario/resolved.ts';
import type { FaultEvent } from './events.ts';
import type { FaultApiOptions } from './fault-api.ts';

/** What the timeline thread says: ready (its API client warm), or the events once stopped. */
export type TimelineThreadMessage = { ready: true } | { error: string } | { stopped: FaultEvent[] };
/** What the parent tells it. */
export type TimelineThreadCommand = { start: number } | { stop: true };
export interface TimelineThreadData {
  steps: ResolvedStep[];
  api: FaultApiOptions;
}

/**
 * The timeline controller on a worker thread of its own, with its own Toxiproxy client:
 * the main thread's event loop carries the load (a built-in engine's thousand callbacks a
 * second, gzip, GC pauses of several ms), and a fault call due while it is busy would go
 * out late. Here each deadline is kept by an idle loop. Same start/stop/events as
 * TimelineController, which does the work inside the thread.
 */
export class TimelineThread {
  /** Every call made, as the thread reported them when it stopped. */
  events: FaultEvent[] = [];
  private stopping: Promise<void> | undefined;
  /** Why the thread ended before it was stopped (an uncaught error in it), if it did. */
  private failure: Error | null = null;
  private alive = true;

  private constructor(private readonly worker: Worker, private readonly exited: Promise<unknown>) {
    worker.on('error', (error) => { this.failure = error; });
    worker.once('exit', () => { this.alive = false; });
  }

  /** Starts the thread and waits until its client knows the proxies and holds a warm connection. */
  static async open(steps: ResolvedStep[], api: FaultApiOptions): Promise<TimelineThread> {
    const data: TimelineThreadData = { steps, api };
    const worker = startWorker(new URL('./thread-main.ts', import.meta.url), data);
    const exited = once(worker, 'exit');
    const first = await firstMessage<TimelineThreadMessage>(worker, 'the timeline thread');
    if (!('ready' in first)) {
      await worker.terminate();
      throw new RunFailedError(`the timeline thread could not start: ${'error' in first ? first.error : 'no answer'}`);
    }
    return new TimelineThread(worker, exited);
  }

  /** Starts the timeline with t0 = the load's start, in epoch ms (the threads share one clock). */
  start(t0: number): void {
    this.send({ start: t0 });
  }

  /**
   * Cancels what has not happened yet and switches off every fault that is on (see
   * TimelineController.stop), then ends the thread. Rejects if the thread died first: the
   * caller must then clear the faults itself.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.alive) throw this.failure ?? new Error('the timeline thread ended before it was stopped');
      const answer = firstMessage<TimelineThreadMessage>(this.worker, 'the timeline thread');
      this.send({ stop: true });
      const message = await answer;
      if ('stopped' in message) this.events = message.stopped;
      await this.exited;
    })();
    return this.stopping;
  }

  private send(command: TimelineThreadCommand): void {
    this.worker.postMessage(command);
  }
}

import { RunFailedError } from '../errors.ts';
import { WorkerThread } from '../host/index.ts';
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

  private constructor(private readonly thread: WorkerThread) {}

  /** Starts the thread and waits until its client knows the proxies and holds a warm connection. */
  static async open(steps: ResolvedStep[], api: FaultApiOptions): Promise<TimelineThread> {
    const data: TimelineThreadData = { steps, api };
    const thread = new WorkerThread(new URL('./thread-main.ts', import.meta.url), data, 'the timeline thread');
    const first = await thread.nextMessage<TimelineThreadMessage>();
    if (!('ready' in first)) {
      await thread.terminate();
      throw new RunFailedError(`the timeline thread could not start: ${'error' in first ? first.error : 'no answer'}`);
    }
    return new TimelineThread(thread);
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
      if (this.thread.ended) throw this.thread.failure ?? new Error('the timeline thread ended before it was stopped');
      const answer = this.thread.nextMessage<TimelineThreadMessage>();
      this.send({ stop: true });
      const message = await answer;
      if ('stopped' in message) this.events = message.stopped;
      await this.thread.exited;
    })();
    return this.stopping;
  }

  private send(command: TimelineThreadCommand): void {
    this.thread.post(command);
  }
}

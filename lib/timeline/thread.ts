import { RunFailedError } from '../errors.ts';
import { WorkerThread } from '../host/index.ts';
import type { ResolvedProcess, ResolvedStep } from '../scenario/resolved.ts';
import type { FaultEvent } from './events.ts';
import type { FaultApiOptions } from './fault-api.ts';

/**
 * What the timeline thread says: ready (its API client warm); each call as it changes (sent,
 * then acknowledged or failed), by its index among the calls; the events once stopped.
 */
export type TimelineThreadMessage = { ready: true } | { error: string } | { event: FaultEvent; index: number } | { stopped: FaultEvent[] };
/** What the parent tells it. */
export type TimelineThreadCommand = { start: number } | { stop: true };
export interface TimelineThreadData {
  steps: ResolvedStep[];
  api: FaultApiOptions;
  processes: ProcessStepsOptions;
}

/** What process steps need: the scenario's processes, the run's undo file, where commands run and write. */
export interface ProcessStepsOptions {
  processes: ResolvedProcess[];
  undoFile: string;
  /** The run's pid and start (the undo file's owner, for `faultline reset`). */
  runPid: number;
  runStartTicks: number;
  /** The file commands' output is appended to (the run folder's commands.log). */
  commandLog: string;
  cwd: string;
}

/**
 * The timeline controller on a worker thread of its own, with its own Toxiproxy client:
 * the main thread's event loop carries the load (a built-in engine's thousand callbacks a
 * second, gzip, GC pauses of several ms), and a fault call due while it is busy would go
 * out late. Here each deadline is kept by an idle loop. Same start/stop/events as
 * TimelineController, which does the work inside the thread.
 */
export class TimelineThread {
  /**
   * Every call made: as the thread reported each one while the run went, then, once it has
   * stopped, the list it handed back (the authority). Should the thread die, what it reported.
   */
  events: FaultEvent[] = [];
  private stopping: Promise<void> | undefined;
  private readonly stopped: Promise<FaultEvent[]>;

  private constructor(private readonly thread: WorkerThread, onEvent: (events: FaultEvent[]) => void) {
    this.stopped = new Promise((resolve) => {
      thread.onMessage<TimelineThreadMessage>((message) => {
        if ('event' in message) {
          this.events[message.index] = message.event;
          onEvent(this.events);
        } else if ('stopped' in message) resolve(message.stopped);
      });
    });
  }

  /**
   * Starts the thread and waits until its client knows the proxies and holds a warm
   * connection. `onEvent` is called with every call made so far each time one changes.
   */
  static async open(steps: ResolvedStep[], api: FaultApiOptions, processes: ProcessStepsOptions, onEvent: (events: FaultEvent[]) => void = () => {}): Promise<TimelineThread> {
    const data: TimelineThreadData = { steps, api, processes };
    const thread = new WorkerThread(new URL('./thread-main.ts', import.meta.url), data, 'the timeline thread');
    const first = await thread.nextMessage<TimelineThreadMessage>();
    if (!('ready' in first)) {
      await thread.terminate();
      throw new RunFailedError(`the timeline thread could not start: ${'error' in first ? first.error : 'no answer'}`);
    }
    return new TimelineThread(thread, onEvent);
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
      this.send({ stop: true });
      const answer = await Promise.race([this.stopped, this.thread.exited.then(() => null)]);
      if (answer === null) throw this.thread.failure ?? new Error('the timeline thread ended before it answered');
      this.events = answer;
      await this.thread.exited;
    })();
    return this.stopping;
  }

  private send(command: TimelineThreadCommand): void {
    this.thread.post(command);
  }
}

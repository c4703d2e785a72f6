import { DelayQueue } from './delay-queue.ts';
import type { StageContext, ToxicStage } from './toxic.ts';

/**
 * What `timeout` and `reset_peer` share: data held back in order (and passed on if the
 * toxic is removed), and a timer that drops what is held and ends the connection.
 */
export abstract class HoldingStage implements ToxicStage {
  protected readonly held: DelayQueue;
  private timer: NodeJS.Timeout | undefined;

  constructor(protected readonly attributes: Readonly<Record<string, number>>, protected readonly context: StageContext) {
    this.held = new DelayQueue(context);
  }

  abstract write(chunk: Buffer): void;
  abstract end(): void;

  flush(): void {
    this.stopTimer();
    this.held.flush();
  }

  destroy(): void {
    this.stopTimer();
    this.held.destroy();
  }

  /** In `ms`, drops what is held (as Toxiproxy drops it) and closes or resets the connection. */
  protected endConnectionIn(ms: number, how: 'close' | 'reset'): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.held.destroy();
      this.context[how]();
    }, ms);
  }

  protected stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

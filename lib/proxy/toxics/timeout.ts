import { DelayQueue } from './delay-queue.ts';
import type { StageContext, ToxicKind, ToxicStage } from './toxic.ts';

/**
 * `timeout`: stops all data. With `timeout` > 0 the connection is closed that many ms after
 * the toxic took effect on it; with 0 it stays open and the data is held until the toxic is
 * removed, then passed on. Times in milliseconds.
 *
 * Held data counts against the link's buffer limit, so a held link stops reading its source
 * (back-pressure) instead of buffering without bound.
 */
export const timeout: ToxicKind = {
  attributes: ['timeout'],
  stage: (attributes, context) => new TimeoutStage(attributes, context),
};

class TimeoutStage implements ToxicStage {
  private readonly held: DelayQueue;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly attributes: Readonly<Record<string, number>>, private readonly context: StageContext) {
    this.held = new DelayQueue(context);
    this.startTimer();
  }

  write(chunk: Buffer): void { this.held.add(chunk, Infinity); }
  end(): void { this.held.end(); }

  /** A changed timeout counts from now, as Toxiproxy restarts the toxic on an update. */
  update(): void {
    this.stopTimer();
    this.startTimer();
  }

  flush(): void {
    this.stopTimer();
    this.held.flush();
  }

  destroy(): void {
    this.stopTimer();
    this.held.destroy();
  }

  private startTimer(): void {
    const timeoutMs = this.attributes.timeout ?? 0;
    if (timeoutMs > 0) this.timer = setTimeout(this.expire, timeoutMs);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly expire = (): void => {
    this.timer = undefined;
    this.held.destroy(); // what was held is dropped, as Toxiproxy drops it
    this.context.close();
  };
}

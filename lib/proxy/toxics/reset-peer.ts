import { DelayQueue } from './delay-queue.ts';
import type { StageContext, ToxicKind, ToxicStage } from './toxic.ts';

/**
 * `reset_peer`: when data (or the end of the stream) next arrives in the toxic's direction,
 * that data is dropped and, `timeout` ms later, the connection is reset: both peers get a
 * TCP RST ("connection reset by peer"). Data arriving meanwhile is held, and goes on if the
 * toxic is removed before the reset. Times in milliseconds.
 */
export const resetPeer: ToxicKind = {
  attributes: ['timeout'],
  stage: (attributes, context) => new ResetPeerStage(attributes, context),
};

class ResetPeerStage implements ToxicStage {
  private readonly held: DelayQueue;
  private triggered = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly attributes: Readonly<Record<string, number>>, private readonly context: StageContext) {
    this.held = new DelayQueue(context);
  }

  write(chunk: Buffer): void {
    if (this.triggered) this.held.add(chunk, Infinity);
    else this.trigger();
  }

  end(): void {
    if (this.triggered) this.held.end();
    else this.trigger();
  }

  flush(): void {
    this.stopTimer();
    this.held.flush();
  }

  destroy(): void {
    this.stopTimer();
    this.held.destroy();
  }

  private trigger(): void {
    this.triggered = true;
    const timeoutMs = this.attributes.timeout ?? 0;
    // Even at 0 the reset waits for this turn of the event loop to finish its writes.
    this.timer = setTimeout(this.reset, timeoutMs);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly reset = (): void => {
    this.timer = undefined;
    this.held.destroy();
    this.context.reset();
  };
}

import { HoldingStage } from './holding-stage.ts';
import type { ToxicKind } from './toxic.ts';

/**
 * `reset_peer`: when data (or the end of the stream) next arrives in the toxic's direction,
 * that data is dropped and, `timeout` ms later, the connection is reset: both peers get a
 * TCP RST ("connection reset by peer"). Data arriving meanwhile is held, and goes on if the
 * toxic is removed before the reset. Times in milliseconds.
 */
export const resetPeer: ToxicKind = {
  attributes: ['timeout'],
  goType: { struct: 'ResetToxic', int: 'int64' },
  stage: (attributes, context) => new ResetPeerStage(attributes, context),
};

class ResetPeerStage extends HoldingStage {
  private triggered = false;

  write(chunk: Buffer): void {
    if (this.triggered) this.held.add(chunk, Infinity);
    else this.trigger();
  }

  end(): void {
    if (this.triggered) this.held.end();
    else this.trigger();
  }

  private trigger(): void {
    this.triggered = true;
    // Even at 0 the reset waits for this turn of the event loop to finish its writes.
    this.endConnectionIn(this.attributes.timeout ?? 0, 'reset');
  }
}

import { HoldingStage } from './holding-stage.ts';
import type { StageContext, ToxicKind } from './toxic.ts';

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
  goType: { struct: 'TimeoutToxic', int: 'int64' },
  stage: (attributes, context) => new TimeoutStage(attributes, context),
};

class TimeoutStage extends HoldingStage {
  constructor(attributes: Readonly<Record<string, number>>, context: StageContext) {
    super(attributes, context);
    this.startTimer();
  }

  write(chunk: Buffer): void { this.held.add(chunk, Infinity); }
  end(): void { this.held.end(); }

  /** A changed timeout counts from now, as Toxiproxy restarts the toxic on an update. */
  update(): void {
    this.stopTimer();
    this.startTimer();
  }

  private startTimer(): void {
    const timeoutMs = this.attributes.timeout ?? 0;
    if (timeoutMs > 0) this.endConnectionIn(timeoutMs, 'close');
  }
}

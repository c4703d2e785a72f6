import type { StageContext, ToxicKind, ToxicStage } from './toxic.ts';

/**
 * `slow_close`: data passes untouched, but the end of the stream (the FIN, and so the close
 * of the connection) is passed on `delay` ms late. Times in milliseconds.
 */
export const slowClose: ToxicKind = {
  attributes: ['delay'],
  goType: { struct: 'SlowCloseToxic', int: 'int64' },
  stage: (attributes, context) => new SlowCloseStage(attributes, context),
};

class SlowCloseStage implements ToxicStage {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly attributes: Readonly<Record<string, number>>, private readonly context: StageContext) {}

  write(chunk: Buffer): void { this.context.push(chunk); }

  end(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(this.endNow, this.attributes.delay ?? 0);
  }

  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.endNow();
  }

  destroy(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly endNow = (): void => {
    this.context.end();
  };
}

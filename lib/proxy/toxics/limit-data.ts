import type { StageContext, ToxicKind, ToxicStage } from './toxic.ts';

/**
 * `limit_data`: passes the first `bytes` bytes of the toxic's direction, then closes the
 * connection (what passed is delivered first). The count belongs to the connection: it
 * carries over when the toxic's attributes are updated. Sizes in bytes.
 */
export const limitData: ToxicKind = {
  attributes: ['bytes'],
  goType: { struct: 'LimitDataToxic', int: 'int64' },
  stage: (attributes, context) => new LimitDataStage(attributes, context),
};

class LimitDataStage implements ToxicStage {
  private passedBytes = 0;
  private closed = false;

  constructor(private readonly attributes: Readonly<Record<string, number>>, private readonly context: StageContext) {}

  write(chunk: Buffer): void {
    if (this.closed) return;
    const remaining = (this.attributes.bytes ?? 0) - this.passedBytes;
    if (remaining > chunk.length) {
      this.passedBytes += chunk.length;
      this.context.push(chunk);
      return;
    }
    if (remaining > 0) {
      this.passedBytes += remaining;
      this.context.push(chunk.subarray(0, remaining));
    }
    this.closed = true;
    this.context.close();
  }

  end(): void {
    if (!this.closed) this.context.end();
  }

  flush(): void {}
  destroy(): void {}
}

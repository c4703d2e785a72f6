import { DelayQueue } from './delay-queue.ts';
import { nowMs, type StageContext, type ToxicKind, type ToxicStage } from './toxic.ts';

/**
 * `latency`: every chunk is passed on `latency` ms (± up to `jitter` ms, uniformly) after it
 * arrived. Order is kept: a chunk never overtakes an earlier one, as in Toxiproxy, where one
 * chunk at a time waits its turn. Times in milliseconds.
 */
export const latency: ToxicKind = {
  attributes: ['latency', 'jitter'],
  goType: { struct: 'LatencyToxic', int: 'int64' },
  stage: (attributes, context) => new LatencyStage(attributes, context),
};

class LatencyStage implements ToxicStage {
  private readonly queue: DelayQueue;

  constructor(private readonly attributes: Readonly<Record<string, number>>, context: StageContext) {
    this.queue = new DelayQueue(context);
  }

  write(chunk: Buffer): void {
    const due = nowMs() + this.delayMs();
    this.queue.add(chunk, Math.max(due, this.queue.lastDueMs));
  }

  end(): void { this.queue.end(); }
  flush(): void { this.queue.flush(); }
  destroy(): void { this.queue.destroy(); }

  /** latency ± jitter, never negative (Toxiproxy: latency + rand[-jitter, jitter)). */
  private delayMs(): number {
    const latencyMs = this.attributes.latency ?? 0;
    const jitterMs = this.attributes.jitter ?? 0;
    const jittered = jitterMs > 0 ? latencyMs + (Math.random() * 2 - 1) * jitterMs : latencyMs;
    return jittered > 0 ? jittered : 0;
  }
}

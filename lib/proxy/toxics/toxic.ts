import { Fifo } from '../../collections/index.ts';

// The one interface every toxic implements. A toxic type (`ToxicKind`) owns only its
// settings; what one connection needs (queues, timers, counters) lives in the `ToxicStage`
// it creates for each link (one direction of one connection), like Toxiproxy's stubs.

/** Where a stage sends data: the next stage of the link, or the destination socket. */
export interface Sink {
  write(chunk: Buffer): void;
  /** The stream ended (the sender's FIN): no more writes follow. */
  end(): void;
}

/** What a stage may do besides passing data on. Owned by the link; one per stage. */
export interface StageContext {
  /** Passes data to the rest of the chain. */
  push(chunk: Buffer): void;
  /** Passes the end of the stream to the rest of the chain. */
  end(): void;
  /** Stops the stream here: what is already passed on is delivered, then the connection closes. */
  close(): void;
  /** Resets the connection now (TCP RST to both peers); everything held is lost. */
  reset(): void;
}

/** One toxic on one link. Stages run on the data path: no logging, no per-chunk formatting. */
export interface ToxicStage extends Sink {
  /**
   * The toxic was removed (or this link no longer rolls it): hand on at once everything held,
   * including a pending end, and stop every timer. Later writes bypass the stage.
   */
  flush(): void;
  /** The connection is gone: stop every timer and drop what is held. */
  destroy(): void;
  /** The toxic's attributes changed (the object passed to `stage()` was updated in place). */
  update?(): void;
}

/** A toxic type: its attribute names (all numbers, 0 when not given) and its stage factory. */
export interface ToxicKind {
  /** Attribute names, in the order Toxiproxy answers them. */
  readonly attributes: readonly string[];
  /** Toxiproxy's Go type of the attributes and of each value, as its bad-body messages name them. */
  readonly goType: { struct: string; int: 'int' | 'int64' };
  /** A stage for one link; `attributes` is live: updates are visible on the next chunk. */
  stage(attributes: Readonly<Record<string, number>>, context: StageContext): ToxicStage;
}

/** Milliseconds on a monotonic clock. */
export const nowMs = (): number => performance.now();

/** A FIFO of chunks with a due time each (ms, `nowMs()` clock): two rings in step, so no object per chunk. */
export class TimedQueue {
  private readonly chunks = new Fifo<Buffer>();
  private readonly dues = new Fifo<number>();

  get size(): number { return this.chunks.size; }
  get nextDue(): number { return this.dues.peek() ?? Infinity; }
  get lastDue(): number { return this.dues.peekLast() ?? 0; }

  push(chunk: Buffer, dueMs: number): void {
    this.chunks.push(chunk);
    this.dues.push(dueMs);
  }

  /** Removes and returns the first chunk (the queue must not be empty). */
  shift(): Buffer {
    this.dues.shift();
    return this.chunks.shift()!;
  }

  clear(): void {
    this.chunks.clear();
    this.dues.clear();
  }
}

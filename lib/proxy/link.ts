import type { Socket } from 'node:net';
import type { Sink, StageContext, ToxicStage } from './toxics/index.ts';
import type { Direction, Toxic } from './toxic-collection.ts';

// With toxics on a link, data they hold counts here; above this the source socket is paused
// (back-pressure), and it resumes at the low mark. Bytes.
const HIGH_WATER_BYTES = 1 << 20;
const LOW_WATER_BYTES = 1 << 18;

/** What a link asks of the connection it belongs to. */
export interface LinkOwner {
  /** Closes the whole connection (both sockets), after what was written is flushed. */
  close(): void;
  /** Resets the whole connection (TCP RST to both peers). */
  reset(): void;
}

/**
 * One direction of one connection: `source` socket -> chain of toxic stages -> `dest` socket.
 * With no toxics the data path is a plain pipe (write, pause on back-pressure, resume on
 * drain). The chain mirrors the proxy's toxics for this direction, in order; each stage
 * decides by the toxic's toxicity, when it is attached or updated, whether it acts here.
 */
export class Link {
  private readonly nodes: StageNode[] = [];
  private head: Sink;
  private heldBytes = 0;
  private waitingForDrain = false;
  private stopped = false;
  private closeWhenEnded = false;

  constructor(
    readonly direction: Direction,
    private readonly source: Socket,
    private readonly dest: Socket,
    private readonly owner: LinkOwner,
  ) {
    this.head = this.output;
  }

  /** Starts reading `source`, with `toxics` (this direction's chain) in place. */
  start(toxics: readonly Toxic[]): void {
    for (const toxic of toxics) this.addToxic(toxic);
    this.source.on('data', this.onData);
    this.source.on('end', this.onEnd);
    this.dest.on('drain', this.onDrain);
    this.source.resume();
  }

  addToxic(toxic: Toxic): void {
    const node = new StageNode(toxic, this.output, this.context);
    const last = this.nodes[this.nodes.length - 1];
    if (last) last.next = node;
    else this.head = node;
    this.nodes.push(node);
  }

  updateToxic(toxic: Toxic): void {
    this.nodes.find((n) => n.toxic === toxic)?.reroll();
  }

  /** Unlinks the toxic's stage, then hands on what it held (so order is kept). */
  removeToxic(toxic: Toxic): void {
    const index = this.nodes.findIndex((n) => n.toxic === toxic);
    const node = this.nodes[index];
    if (!node) return;
    const previous = this.nodes[index - 1];
    if (previous) previous.next = node.next;
    else this.head = node.next;
    this.nodes.splice(index, 1);
    node.flush();
    if (this.nodes.length === 0) this.heldBytes = 0; // flushes are synchronous: nothing is held
    this.resumeIfRoom();
  }

  /** The connection is gone: stop every stage's timers and read nothing more. */
  destroy(): void {
    this.stopped = true;
    for (const node of this.nodes) node.destroy();
  }

  // Hot path: one call per chunk read; no allocation, no formatting.
  private readonly onData = (chunk: Buffer): void => {
    if (this.stopped) return;
    if (this.nodes.length === 0) {
      if (!this.dest.write(chunk)) this.waitForDrain();
      return;
    }
    this.heldBytes += chunk.length;
    this.head.write(chunk);
    if (this.heldBytes > HIGH_WATER_BYTES) this.source.pause();
  };

  private readonly onEnd = (): void => {
    if (!this.stopped) this.head.end();
  };

  private readonly onDrain = (): void => {
    this.waitingForDrain = false;
    this.resumeIfRoom();
  };

  private waitForDrain(): void {
    this.waitingForDrain = true;
    this.source.pause();
  }

  private resumeIfRoom(): void {
    if (this.waitingForDrain || this.heldBytes > LOW_WATER_BYTES || this.stopped) return;
    if (this.source.isPaused()) this.source.resume();
  }

  /** The end of the chain: the destination socket. */
  private readonly output: Sink = {
    write: (chunk: Buffer): void => {
      this.heldBytes -= chunk.length;
      if (this.dest.writableEnded || this.dest.destroyed) return;
      if (!this.dest.write(chunk)) this.waitForDrain();
      else this.resumeIfRoom();
    },
    end: (): void => {
      if (this.dest.writableEnded || this.dest.destroyed) {
        if (this.closeWhenEnded) this.owner.close();
      } else if (this.closeWhenEnded) this.dest.end(() => this.owner.close());
      else this.dest.end();
    },
  };

  /** What stages call besides passing data on. */
  private readonly context = {
    close: (): void => {
      this.closeWhenEnded = true;
    },
    reset: (): void => this.owner.reset(),
  };
}

/** One toxic's place in a link's chain; routes around the stage when the toxic does not act. */
class StageNode implements Sink {
  next: Sink;
  private stage: ToxicStage | undefined;
  private closed = false;
  private readonly context: StageContext;

  constructor(readonly toxic: Toxic, next: Sink, link: { close(): void; reset(): void }) {
    this.next = next;
    this.context = {
      push: (chunk) => this.next.write(chunk),
      end: () => this.next.end(),
      close: () => {
        // Toxiproxy closes the stub: the rest of the chain sees the end of the stream, and
        // when that reaches the socket the connection closes.
        this.closed = true;
        link.close();
        this.next.end();
      },
      reset: () => link.reset(),
    };
    if (roll(toxic.toxicity)) this.stage = toxic.kind.stage(toxic.attributes, this.context);
  }

  write(chunk: Buffer): void {
    if (this.closed) return;
    if (this.stage) this.stage.write(chunk);
    else this.next.write(chunk);
  }

  end(): void {
    if (this.closed) return;
    if (this.stage) this.stage.end();
    else this.next.end();
  }

  /** An update re-decides, as Toxiproxy re-rolls the toxicity when it restarts a toxic. */
  reroll(): void {
    const acts = roll(this.toxic.toxicity);
    if (acts && this.stage) this.stage.update?.();
    else if (acts) this.stage = this.toxic.kind.stage(this.toxic.attributes, this.context);
    else this.flush();
  }

  flush(): void {
    const stage = this.stage;
    this.stage = undefined;
    stage?.flush();
  }

  destroy(): void {
    this.stage?.destroy();
    this.stage = undefined;
  }
}

/** Whether a toxic acts on this link: true with probability `toxicity` (0..1). */
const roll = (toxicity: number): boolean => Math.random() < toxicity;

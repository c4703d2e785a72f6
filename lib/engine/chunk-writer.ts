import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { constants, createGzip } from 'node:zlib';

// Chunks of bytes to a file, gzip-compressed when the name ends in `.gz`, with
// back-pressure: while the stream is full, chunks wait here (an open-model load cannot slow
// down for its own output) and go out on 'drain', in order. close() settles once every byte
// is on disk. A chunk belongs to the writer from write() until its `consumed` callback: then
// the caller may fill its memory again (reusing chunks keeps V8's external memory flat;
// allocating a fresh one per chunk set off full garbage collections at a few thousand req/s).

export class ChunkWriter {
  private readonly waiting: { chunk: Buffer; consumed: () => void }[] = [];
  private blocked = false;
  private failure: Error | null = null;
  /** Largest number of bytes held back by back-pressure at once. */
  peakWaitingBytes = 0;
  private waitingBytes = 0;

  private constructor(private readonly head: Writable, private readonly finished: Promise<void>) {
    this.onDrain = this.onDrain.bind(this);
    finished.catch((error: Error) => { this.failure = error; });
  }

  /** Opens (creating its folder) `file`; rejects if it cannot be written. */
  static async open(file: string): Promise<ChunkWriter> {
    await mkdir(dirname(file), { recursive: true });
    const out = createWriteStream(file);
    await once(out, 'open');
    if (!file.endsWith('.gz')) return new ChunkWriter(out, finished(out));
    // Level 1: the samples of a fast run are highly repetitive text, and compressing them
    // must keep up with the load on a shared core (zlib runs on libuv's thread pool).
    const gzip = createGzip({ level: constants.Z_BEST_SPEED });
    return new ChunkWriter(gzip, pipeline(gzip, out));
  }

  /** A writer that throws every byte away (the engine's warm-up). */
  static discarding(): ChunkWriter {
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    return new ChunkWriter(sink, finished(sink));
  }

  write(chunk: Buffer, consumed: () => void): void {
    if (this.blocked) {
      this.waiting.push({ chunk, consumed });
      this.waitingBytes += chunk.length;
      if (this.waitingBytes > this.peakWaitingBytes) this.peakWaitingBytes = this.waitingBytes;
      return;
    }
    this.send(chunk, consumed);
  }

  async close(): Promise<void> {
    while (this.blocked && !this.failure) await once(this.head, 'drain');
    if (this.failure) throw this.failure;
    this.head.end();
    await this.finished;
  }

  private send(chunk: Buffer, consumed: () => void): void {
    if (!this.head.write(chunk, consumed)) {
      this.blocked = true;
      this.head.once('drain', this.onDrain);
    }
  }

  private onDrain(): void {
    this.blocked = false;
    while (!this.blocked && this.waiting.length > 0) {
      const { chunk, consumed } = this.waiting.shift()!;
      this.waitingBytes -= chunk.length;
      this.send(chunk, consumed);
    }
  }
}

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { constants, createGzip } from 'node:zlib';

// Text to a file, gzip-compressed when the name ends in `.gz`, with back-pressure: text is
// gathered into chunks of CHUNK_CHARS and handed to the stream; while the stream is full,
// chunks wait here (an open-model load cannot slow down for its own output) and go out on
// 'drain', in order. close() settles once every byte is on disk.

const CHUNK_CHARS = 64 * 1024;

export class LineWriter {
  private text = '';
  private readonly waiting: string[] = [];
  private blocked = false;
  private failure: Error | null = null;
  /** Largest number of characters held back by back-pressure at once. */
  peakWaitingChars = 0;
  private waitingChars = 0;

  private constructor(private readonly head: Writable, private readonly finished: Promise<void>) {
    this.onDrain = this.onDrain.bind(this);
    finished.catch((error: Error) => { this.failure = error; });
  }

  /** Opens (creating its folder) `file`; rejects if it cannot be written. */
  static async open(file: string): Promise<LineWriter> {
    await mkdir(dirname(file), { recursive: true });
    const out = createWriteStream(file);
    await once(out, 'open');
    if (!file.endsWith('.gz')) return new LineWriter(out, finished(out));
    // Level 1: the samples of a fast run are highly repetitive text, and compressing them
    // must keep up with the load on a shared core (zlib runs on libuv's thread pool).
    const gzip = createGzip({ level: constants.Z_BEST_SPEED });
    return new LineWriter(gzip, pipeline(gzip, out));
  }

  write(text: string): void {
    this.text += text;
    if (this.text.length >= CHUNK_CHARS) this.flushText();
  }

  async close(): Promise<void> {
    this.flushText();
    while (this.blocked && !this.failure) await once(this.head, 'drain');
    if (this.failure) throw this.failure;
    this.head.end();
    await this.finished;
  }

  private flushText(): void {
    if (this.text.length === 0) return;
    const chunk = this.text;
    this.text = '';
    if (this.blocked) {
      this.waiting.push(chunk);
      this.waitingChars += chunk.length;
      if (this.waitingChars > this.peakWaitingChars) this.peakWaitingChars = this.waitingChars;
      return;
    }
    this.send(chunk);
  }

  private send(chunk: string): void {
    if (!this.head.write(chunk)) {
      this.blocked = true;
      this.head.once('drain', this.onDrain);
    }
  }

  private onDrain(): void {
    this.blocked = false;
    while (!this.blocked && this.waiting.length > 0) {
      const chunk = this.waiting.shift()!;
      this.waitingChars -= chunk.length;
      this.send(chunk);
    }
  }
}

import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { constants, createGzip, type Gzip } from 'node:zlib';
import { Fifo } from '../collections/index.ts';

// Chunks of bytes to a file, gzip-compressed when the name ends in `.gz`, with
// back-pressure: while the stream is full, chunks wait here (an open-model load cannot slow
// down for its own output) and go out on 'drain', in order. close() settles once every byte
// is on disk. A chunk belongs to the writer from write() until its `consumed` callback: then
// the caller may fill its memory again (reusing chunks keeps V8's external memory flat;
// allocating a fresh one per chunk set off full garbage collections at a few thousand req/s).
// sync() makes every byte written so far readable in the file even if the process is then
// killed or the machine loses power: a gzip stream is sync-flushed (it stays one valid gzip
// member, readable up to that point without its trailer), then the file is fdatasync'ed.

const EMPTY = Buffer.alloc(0);
/** In the waiting line: a sync asked for behind the chunks before it. */
const SYNC_POINT = { chunk: EMPTY, consumed: () => {} };

export class ChunkWriter {
  private readonly waiting = new Fifo<{ chunk: Buffer; consumed: () => void }>();
  private blocked = false;
  private failure: Error | null = null;
  /** Largest number of bytes held back by back-pressure at once. */
  peakWaitingBytes = 0;
  private waitingBytes = 0;
  /** The sync under way, if any; syncs run one at a time, and those asked for meanwhile make one more. */
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private closing = false;

  private constructor(
    private readonly head: Writable,
    private readonly finished: Promise<void>,
    /** The file, for sync(); null for the discarding writer. */
    private readonly file: { stream: WriteStream; handle: FileHandle } | null,
  ) {
    this.onDrain = this.onDrain.bind(this);
    finished.catch((error: Error) => { this.failure = error; });
  }

  /** Opens (creating its folder) `file`; rejects if it cannot be written. */
  static async open(file: string): Promise<ChunkWriter> {
    await mkdir(dirname(file), { recursive: true });
    const handle = await open(file, 'w');
    const out = handle.createWriteStream();
    if (!file.endsWith('.gz')) return new ChunkWriter(out, finished(out), { stream: out, handle });
    // Level 1: the samples of a fast run are highly repetitive text, and compressing them
    // must keep up with the load on a shared core (zlib runs on libuv's thread pool).
    const gzip = createGzip({ level: constants.Z_BEST_SPEED });
    return new ChunkWriter(gzip, pipeline(gzip, out), { stream: out, handle });
  }

  /** A writer that throws every byte away (the engine's warm-up). */
  static discarding(): ChunkWriter {
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    return new ChunkWriter(sink, finished(sink), null);
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

  /**
   * Makes every chunk written so far readable from the file and durable, once the chunks held
   * back by back-pressure have gone in. Never throws: a failure shows in close().
   */
  sync(): void {
    if (!this.file || this.failure || this.closing) return;
    if (this.blocked) this.waiting.push(SYNC_POINT);
    else this.startSync();
  }

  async close(): Promise<void> {
    this.closing = true;
    while (this.syncing) await this.syncing;
    while (this.blocked && !this.failure) await once(this.head, 'drain');
    if (this.failure) throw this.failure;
    this.head.end();
    await this.finished;
  }

  private startSync(): void {
    if (this.closing) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = this.syncFile(this.file!).catch(() => undefined).finally(() => {
      this.syncing = null;
      if (this.syncAgain) {
        this.syncAgain = false;
        this.startSync();
      }
    });
  }

  private async syncFile({ stream, handle }: { stream: WriteStream; handle: FileHandle }): Promise<void> {
    // The gzip's flush callback comes once the flushed bytes are pushed toward the file;
    // an empty write queued behind them on the file stream completes once they are written.
    // A stream that fails meanwhile may never call back: its failure (`finished` rejects)
    // ends the sync instead, and close() reports it.
    const flushed = new Promise<void>((resolve) => (this.head === stream ? resolve() : (this.head as Gzip).flush(constants.Z_SYNC_FLUSH, () => resolve())));
    await Promise.race([flushed, this.finished]);
    const written = new Promise<void>((resolve) => stream.write(EMPTY, () => resolve()));
    await Promise.race([written, this.finished]);
    if (this.failure) return;
    await handle.datasync();
  }

  private send(chunk: Buffer, consumed: () => void): void {
    if (!this.head.write(chunk, consumed)) {
      this.blocked = true;
      this.head.once('drain', this.onDrain);
    }
  }

  private onDrain(): void {
    this.blocked = false;
    while (!this.blocked && this.waiting.size > 0) {
      const next = this.waiting.shift()!;
      if (next === SYNC_POINT) {
        this.startSync();
        continue;
      }
      this.waitingBytes -= next.chunk.length;
      this.send(next.chunk, next.consumed);
    }
  }
}

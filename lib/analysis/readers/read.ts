import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InvalidInputError } from '../../errors.ts';
import type { SampleSink, TagFilter } from '../samples.ts';
import type { LineParser, SampleFormat } from './format.ts';

// Streams a samples file line by line (node:readline over a zlib stream when the file
// starts with the gzip magic bytes, whatever its name), so memory does not grow with the
// run. Bad lines are skipped and reported with their number; a gzip stream that ends early
// keeps every line read before the cut. A file that cannot be opened, is empty, or is no
// known format is bad input (InvalidInputError, exit 2).

export interface LineProblem {
  line: number;
  reason: string;
}

export interface ReadResult {
  format: string;
  /** Lines read, header included. */
  lines: number;
  /** The first MAX_LISTED problems; `problemCount` counts all of them. */
  problems: LineProblem[];
  problemCount: number;
  /** True when no timestamp had a sub-second part (k6 CSV's default `unix` format). */
  wholeSecondTimes: boolean;
  /** Set when the gzip stream ended early or was corrupt: what happened, after which line. */
  streamError?: string;
}

const MAX_LISTED = 20;
const GZIP_MAGIC = [0x1f, 0x8b];

export async function readSamples(
  file: string,
  formats: Record<string, SampleFormat>,
  sink: SampleSink,
  filters: TagFilter[] = [],
): Promise<ReadResult> {
  const gzip = await startsWithGzipMagic(file);
  const raw = createReadStream(file);
  const input: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  let streamError: Error | undefined;
  raw.on('error', (e) => input.destroy(e));
  input.on('error', (e) => { streamError ??= e; });
  const reader = createInterface({ input, crlfDelay: Infinity });

  const problems: LineProblem[] = [];
  let problemCount = 0;
  const context = {
    sink,
    filters,
    problem(line: number, reason: string) {
      if (problemCount++ < MAX_LISTED) problems.push({ line, reason });
    },
  };
  let format: SampleFormat | undefined;
  let parser: LineParser | undefined;
  let lineNo = 0;
  try {
    for await (const text of reader) {
      lineNo++;
      if (parser === undefined) {
        format = Object.values(formats).find((f) => f.sniff(text));
        if (!format) throw unknownFormat(file, text);
        parser = format.parser(context);
      }
      parser.line(text, lineNo);
    }
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    streamError ??= error as Error;
  } finally {
    reader.close();
    input.destroy();
  }
  if (!parser || !format) {
    if (streamError) throw unreadable(file, streamError);
    throw new InvalidInputError(`no samples in ${file}`, [{ path: file, expected: 'k6 JSON or CSV samples (the file is empty)' }]);
  }
  const { wholeSecondTimes } = parser.end();
  const result: ReadResult = { format: format.name, lines: lineNo, problems, problemCount, wholeSecondTimes };
  if (streamError) result.streamError = `${gzip ? 'gzip stream' : 'file'} ended with an error after line ${lineNo} (${streamError.message}); the ${lineNo} lines before were analysed`;
  return result;
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
  } catch (error) {
    throw unreadable(file, error as Error);
  } finally {
    await handle?.close();
  }
}

function unreadable(file: string, error: Error): InvalidInputError {
  return new InvalidInputError(`cannot read samples ${file}`, [{ path: file, value: error.message, expected: 'a readable k6 JSON or CSV samples file (plain or gzip)' }]);
}

function unknownFormat(file: string, firstLine: string): InvalidInputError {
  return new InvalidInputError(`unknown samples format in ${file}`, [{ path: `${file}:1`, value: firstLine.slice(0, 60), expected: 'k6 --out json lines or a k6 --out csv header' }]);
}

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
// run. Bad lines are skipped and reported with their number. Samples that end abruptly (a
// gzip stream with no end, a last line cut mid-way: what a run killed, or a machine that
// lost power, leaves) keep every complete line before the cut, and the cut is reported as
// the run cut short, not as a bad line. A file that cannot be opened, is empty, or is no
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
  /** Set when the samples end abruptly (the run was cut short) or the gzip stream is corrupt: what happened, after which line. */
  streamError?: string;
}

const MAX_LISTED = 20;
const GZIP_MAGIC = [0x1f, 0x8b];
const NEWLINE = 0x0a;

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
  // The last byte of the data: not a newline when the samples end in the middle of a line.
  let lastByte = NEWLINE;
  input.on('data', (chunk: Buffer) => { if (chunk.length > 0) lastByte = chunk[chunk.length - 1]!; });
  const reader = createInterface({ input, crlfDelay: Infinity });

  const problems: LineProblem[] = [];
  let problemCount = 0;
  let lastProblemLine = 0;
  const context = {
    sink,
    filters,
    problem(line: number, reason: string) {
      lastProblemLine = line;
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
  const gzipCut = gzip && isUnexpectedEnd(streamError);
  if (!parser || !format) {
    if (gzipCut) throw new InvalidInputError(`no samples in ${file}: the run was cut short before its first samples were written`, [{ path: file, value: streamError!.message, expected: 'k6 JSON or CSV samples (the gzip stream stops before its first line)' }]);
    if (streamError) throw unreadable(file, streamError);
    throw new InvalidInputError(`no samples in ${file}`, [{ path: file, expected: 'k6 JSON or CSV samples (the file is empty)' }]);
  }
  const { wholeSecondTimes } = parser.end();
  // A line cut mid-way is part of the cut, not a bad line: the parser's problem with it is
  // taken back. (Not in a file none of whose lines could be used: that is no samples at all.)
  let cutLine: number | null = null;
  if (lastByte !== NEWLINE) {
    if (lastProblemLine === lineNo && problemCount < lineNo) {
      cutLine = lineNo;
      if (problemCount-- <= MAX_LISTED) problems.pop();
    } else if (gzipCut) {
      cutLine = lineNo + 1; // readline leaves out the partial line of an input that fails
    }
  }
  const result: ReadResult = { format: format.name, lines: lineNo, problems, problemCount, wholeSecondTimes };
  if (gzipCut) result.streamError = cutShort(`a gzip stream with no end: ${streamError!.message}`, lineNo, cutLine);
  else if (streamError) result.streamError = `${gzip ? 'gzip stream' : 'file'} ended with an error after line ${lineNo} (${streamError.message}); the ${lineNo} lines before were analysed`;
  else if (cutLine !== null) result.streamError = cutShort('in the middle of a line', lineNo, cutLine);
  return result;
}

/** zlib's error for a gzip stream that stops before its end. */
function isUnexpectedEnd(error: Error | undefined): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'Z_BUF_ERROR';
}

/** The warning for samples that end abruptly, `how`; `cutLine` (left out) is null when the cut fell between lines. */
function cutShort(how: string, linesRead: number, cutLine: number | null): string {
  const complete = cutLine === linesRead ? linesRead - 1 : linesRead;
  const left = cutLine === null ? '' : `; line ${cutLine}, cut mid-way, was left out`;
  return `the run was cut short: the samples end abruptly (${how}) as a run killed or stopped by a power loss leaves them; the ${complete} complete lines before the cut were analysed${left}`;
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

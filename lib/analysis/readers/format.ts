import type { SampleSink, TagFilter } from '../samples.ts';

// One sample format = one file in this folder implementing SampleFormat, listed in the
// registry in ./index.ts. A format only turns lines into SampleSink calls; opening, gzip,
// line splitting and error reporting are shared (./read.ts).

export interface SampleFormat {
  readonly name: string;
  /** Recognises the format from a file's first line. */
  sniff(firstLine: string): boolean;
  /** A parser for one file; it is given every line, the first one included. */
  parser(context: ParserContext): LineParser;
}

export interface ParserContext {
  sink: SampleSink;
  /** Tag filters from the SLOs; request i matches filter j when bit j of its mask is set. */
  filters: TagFilter[];
  /** Reports a line that could not be used (it is skipped; reading goes on). */
  problem(lineNo: number, reason: string): void;
}

export interface LineParser {
  line(text: string, lineNo: number): void;
  /** After the last line: flushes the request in progress and says what it saw. */
  end(): { wholeSecondTimes: boolean };
}

import type { SampleFormat } from './format.ts';
import { k6Csv } from './k6-csv.ts';
import { k6Json } from './k6-json.ts';

// The sample formats analysis reads, by name. Adding one: a new file and one line here.
export const SAMPLE_FORMATS: Record<string, SampleFormat> = {
  'k6-json': k6Json,
  'k6-csv': k6Csv,
};

export type { SampleFormat, LineParser, ParserContext } from './format.ts';
export { readSamples, type ReadResult, type LineProblem } from './read.ts';

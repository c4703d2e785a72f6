import { stat } from 'node:fs/promises';
import { VITALS_METRICS, type VitalsMetric } from '../vitals/index.ts';
import type { PhasePlan } from './plan.ts';
import type { SampleFormat } from './readers/format.ts';
import { readSamples } from './readers/read.ts';
import type { SampleSink } from './samples.ts';
import { TimeParser } from './time.ts';
import { VitalsAccumulator, type VitalsState } from './vitals-state.ts';

// vitals.json (k6 JSON lines; lib/vitals writes it) into a VitalsState, through the samples'
// own line reader (readers/read.ts: streaming, bad lines counted and listed, a last line cut
// mid-way taken as the cut of a killed run). A few lines per process per second: each is
// parsed whole. Lines of other metrics are passed over.

const MAX_LISTED = 5;
const OURS = new Set<string>(VITALS_METRICS);
/** Vital signs carry no requests: the reader's request sink is never called. */
const NO_REQUESTS: SampleSink = { request: () => undefined, dropped: () => undefined };

export async function readVitals(file: string, t0Ms: number, phases: PhasePlan[], windowMs: number): Promise<VitalsState> {
  const accumulator = new VitalsAccumulator(t0Ms, phases, windowMs);
  // A run killed before the sampler's first line leaves an empty file: no vital signs, not bad input.
  if ((await stat(file)).size === 0) return accumulator.finish([{ file, lines: 0, problemCount: 0, problems: [] }]);
  const read = await readSamples(file, { vitals: vitalsFormat(accumulator) }, NO_REQUESTS);
  return accumulator.finish([{ file, lines: read.lines, problemCount: read.problemCount, problems: read.problems.slice(0, MAX_LISTED) }]);
}

/** The vitals lines as a sample format of their own: the caller knows the file is vitals.json. */
function vitalsFormat(accumulator: VitalsAccumulator): SampleFormat {
  return {
    name: 'faultline vitals (k6 JSON)',
    sniff: () => true,
    parser: ({ problem }) => {
      const time = new TimeParser();
      return {
        line(text, lineNo) {
          if (text.trim() === '') return;
          let doc: { type?: unknown; metric?: unknown; data?: { time?: unknown; value?: unknown; tags?: { process?: unknown } } };
          try {
            doc = JSON.parse(text) as typeof doc;
          } catch {
            problem(lineNo, 'corrupt JSON');
            return;
          }
          if (doc.type !== 'Point' || typeof doc.metric !== 'string' || !OURS.has(doc.metric)) return;
          const { time: at, value, tags } = doc.data ?? {};
          const atMs = typeof at === 'string' ? time.parse(at, 0, at.length) : NaN;
          if (Number.isNaN(atMs) || typeof value !== 'number' || typeof tags?.process !== 'string') {
            problem(lineNo, `${doc.metric} point without a valid time, value and process tag`);
            return;
          }
          accumulator.point(doc.metric as VitalsMetric, tags.process, atMs, value);
        },
        end: () => ({ wholeSecondTimes: false }),
      };
    },
  };
}

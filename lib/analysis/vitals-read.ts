import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InvalidInputError } from '../errors.ts';
import { VITALS_METRICS, type VitalsMetric } from '../vitals/index.ts';
import type { PhasePlan } from './plan.ts';
import { TimeParser } from './time.ts';
import { VitalsAccumulator, type VitalsState } from './vitals-state.ts';

// vitals.json (k6 JSON lines; lib/vitals writes it) into a VitalsState. A few lines per
// process per second: each is parsed whole. Lines of other metrics are passed over; an
// unreadable line is counted and skipped, except a last line cut mid-way (a killed run).

const MAX_LISTED = 5;
const OURS = new Set<string>(VITALS_METRICS);

export async function readVitals(file: string, t0Ms: number, phases: PhasePlan[], windowMs: number): Promise<VitalsState> {
  const accumulator = new VitalsAccumulator(t0Ms, phases, windowMs);
  const time = new TimeParser();
  const problems: Array<{ line: number; reason: string }> = [];
  let problemCount = 0;
  let lastProblem = 0;
  let lines = 0;
  let endsWithNewline = true;
  const input = createReadStream(file, { encoding: 'utf8' });
  input.on('data', (chunk) => { if (chunk.length > 0) endsWithNewline = (chunk as string).endsWith('\n'); });
  const problem = (line: number, reason: string) => {
    lastProblem = line;
    if (problemCount++ < MAX_LISTED) problems.push({ line, reason });
  };
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      lines++;
      if (text.trim() === '') continue;
      let doc: { type?: unknown; metric?: unknown; data?: { time?: unknown; value?: unknown; tags?: { process?: unknown } } };
      try {
        doc = JSON.parse(text) as typeof doc;
      } catch {
        problem(lines, 'corrupt JSON');
        continue;
      }
      if (doc.type !== 'Point' || typeof doc.metric !== 'string' || !OURS.has(doc.metric)) continue;
      const { time: at, value, tags } = doc.data ?? {};
      const atMs = typeof at === 'string' ? time.parse(at, 0, at.length) : NaN;
      if (Number.isNaN(atMs) || typeof value !== 'number' || typeof tags?.process !== 'string') {
        problem(lines, `${doc.metric} point without a valid time, value and process tag`);
        continue;
      }
      accumulator.point(doc.metric as VitalsMetric, tags.process, atMs, value);
    }
  } catch (error) {
    throw new InvalidInputError(`cannot read vital signs ${file}`, [{ path: file, value: (error as Error).message, expected: 'a readable vitals.json (k6 JSON lines)' }]);
  } finally {
    input.destroy();
  }
  // The last line cut mid-way: what a killed run leaves, not a bad line.
  if (!endsWithNewline && lastProblem === lines && problemCount > 0) {
    problemCount--;
    if (problems.at(-1)?.line === lines) problems.pop();
  }
  return accumulator.finish([{ file, lines, problemCount, problems }]);
}

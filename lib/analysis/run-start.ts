import { readSamples, SAMPLE_FORMATS } from './readers/index.ts';
import type { SampleSink, TagFilter } from './samples.ts';

// t0 of a run without events.json that must be placed on one clock: a distributed k6 test
// (one samples file per segment or machine), or a --timeline-in-k6 run whose faults go on
// the scenario's schedule. t0 = the earliest load request sent in any of the files, in whole
// epoch ms; the in-k6 timeline's own Toxiproxy calls are not load and do not count. A pass
// that only keeps two minima: memory does not grow with the files.

class EarliestSend implements SampleSink {
  sendMs = Infinity;
  droppedMs = Infinity;

  request(sendMs: number, _endMs: number, _durationMs: number, _failed: boolean, tagMask: number): void {
    // The only filters are those of requests that are not load.
    if (tagMask === 0 && sendMs < this.sendMs) this.sendMs = sendMs;
  }

  dropped(atMs: number): void {
    if (atMs < this.droppedMs) this.droppedMs = atMs;
  }
}

/**
 * Epoch ms of the earliest load request (else the earliest dropped iteration) in `files`,
 * null when they hold neither. `notLoad`: requests that are not load (TIMELINE_REQUESTS).
 */
export async function runStartMs(files: string[], notLoad: TagFilter[]): Promise<number | null> {
  const earliest = new EarliestSend();
  for (const file of files) await readSamples(file, SAMPLE_FORMATS, earliest, notLoad);
  const first = Number.isFinite(earliest.sendMs) ? earliest.sendMs : earliest.droppedMs;
  return Number.isFinite(first) ? Math.floor(first) : null;
}

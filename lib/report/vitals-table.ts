import type { ProcessVitals, VitalsStats } from '../analysis/summary.ts';
import { fmtCores, fmtMiB } from './format.ts';

// The vital signs of each watched process per phase, as table rows, for the Markdown and
// HTML reports alike. Units: CPU in cores (1 = one core busy), memory in MiB, down in seconds.

export const VITALS_HEAD = ['phase', 'CPU mean', 'CPU max', 'RSS mean', 'RSS max', 'down', 'samples'];

/** The rows for one process: one per phase, then the whole run. */
export function vitalsRows(v: ProcessVitals): string[][] {
  const row = (name: string, s: VitalsStats) => [name, fmtCores(s.cpuCoresMean), fmtCores(s.cpuCoresMax),
    fmtMiB(s.rssBytesMean), fmtMiB(s.rssBytesMax), `${s.downSeconds} s`, String(s.samples)];
  return [...v.phases.map((p) => row(p.phase, p)), row('whole run', v.overall)];
}

/** `vitals` of a summary, which older summaries lack. */
export function vitalsOf(s: { vitals?: ProcessVitals[] }): ProcessVitals[] {
  return s.vitals ?? [];
}

import { VITALS_INTERVAL_MS } from '../vitals/index.ts';
import type { PhasePlan } from './plan.ts';
import type { ProcessVitals, VitalsStats } from './summary.ts';
import { emptyVitalsWindow, mergeVitalsWindows, type VitalsState, type VitalsWindow } from './vitals-state.ts';

// summary.json's `vitals`: per watched process, its CPU share and RSS over the run, per
// phase and per second (each sample placed in the interval it measured: see VitalsAccumulator).

export function summarizeVitals(state: VitalsState | undefined, phases: PhasePlan[], windowMs: number): ProcessVitals[] {
  if (!state) return [];
  return Object.keys(state.processes).sort().map((name) => {
    const p = state.processes[name]!;
    return {
      process: name,
      overall: statsOf(p.phases.reduce(mergeVitalsWindows, emptyVitalsWindow())),
      phases: phases.map((phase, i) => ({ phase: phase.name, ...statsOf(p.phases[i] ?? emptyVitalsWindow()) })),
      series: seriesOf(p.seconds, windowMs),
    };
  });
}

/** Unreadable lines of the vitals files, as summary warnings. */
export function vitalsWarnings(state: VitalsState | undefined): string[] {
  return (state?.inputs ?? []).filter((i) => i.problemCount > 0).map((i) =>
    `${i.file}: skipped ${i.problemCount} unreadable line(s) (${i.problems.map((p) => `line ${p.line}: ${p.reason}`).join('; ')})`);
}

function statsOf(w: VitalsWindow): VitalsStats {
  return {
    cpuCoresMean: w.cpuCount > 0 ? round(w.cpuSum / w.cpuCount, 4) : null,
    cpuCoresMax: w.cpuCount > 0 ? w.cpuMax : null,
    rssBytesMean: w.rssCount > 0 ? Math.round(w.rssSum / w.rssCount) : null,
    rssBytesMax: w.rssCount > 0 ? w.rssMax : null,
    downSeconds: (w.downCount * VITALS_INTERVAL_MS) / 1000,
    samples: w.upCount,
  };
}

/** Every window from the first sample's to the last's; null where a window had none, so charts show gaps. */
function seriesOf(seconds: Record<string, VitalsWindow>, windowMs: number): ProcessVitals['series'] {
  const keys = Object.keys(seconds).map(Number);
  if (keys.length === 0) return [];
  const out: ProcessVitals['series'] = [];
  for (let k = Math.min(...keys); k <= Math.max(...keys); k++) {
    const w = seconds[String(k)];
    out.push({
      tMs: k * windowMs,
      cpuCores: w && w.cpuCount > 0 ? round(w.cpuSum / w.cpuCount, 4) : null,
      rssBytes: w && w.rssCount > 0 ? Math.round(w.rssSum / w.rssCount) : null,
      up: w && w.upCount > 0 ? (w.upCount - w.downCount) / w.upCount : null,
    });
  }
  return out;
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

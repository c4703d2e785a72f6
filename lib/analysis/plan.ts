import type { FaultType } from '../scenario/types.ts';
import type { EventsFile } from '../timeline/events.ts';
import type { AnalysisParameters } from './parameters.ts';

// What the events say before any sample is read: phase boundaries and transition windows,
// as offsets from t0 in ms.
//
// Phases follow the union of all fault edges (every proxy): `baseline` is everything before
// the first fault goes on; then every edge that changes the set of active faults starts a
// new phase, `fault-N` while at least one fault is on and `recovery-N` while none is. With
// faults A and B overlapping: baseline, fault-1 (A), fault-2 (A+B), fault-3 (B), recovery-1.
// Ramp events reshape a fault already on: they are transitions but not phase boundaries.
//
// A transition is every on/off event with an applied time, placed at that applied time
// (appliedAt: when the fault API acknowledged it). Its transition window is
// [edge - transitionBeforeMs, edge + transitionAfterMs) (default [edge - 1 s, edge + 5 s)):
// the second before the edge holds the requests already in flight when the fault hit.
// Its settle horizon is [edge, min(next transition, edge + settleHorizonMs, end of data)).

export interface PhasePlan {
  name: string;
  kind: 'baseline' | 'fault' | 'recovery';
  /** -Infinity / Infinity at the open ends. */
  startMs: number;
  endMs: number;
  faults: string[];
}

export interface TransitionPlan {
  edge: 'on' | 'off';
  kind: 'edge' | 'ramp' | 'cleanup';
  proxy: string;
  type: FaultType;
  step: number;
  atMs: number;
  skewMs: number | null;
  /** The transition window. */
  windowStartMs: number;
  windowEndMs: number;
  /** End of the settle horizon (before clipping at the end of the data). */
  horizonEndMs: number;
  /** Faults on right after the edge: none after an "off" edge means back to baseline. */
  activeAfter: string[];
}

export interface AnalysisPlan {
  phases: PhasePlan[];
  transitions: TransitionPlan[];
  warnings: string[];
}

export function planAnalysis(events: EventsFile | null, params: AnalysisParameters): AnalysisPlan {
  const warnings: string[] = [];
  const applied = (events?.events ?? []).filter((e) => {
    if (e.appliedMs !== null && Number.isFinite(e.appliedMs)) return true;
    warnings.push(`event ${e.edge} ${e.proxy}:${e.type} (step ${e.step}) was never applied${e.error ? ` (${e.error})` : ''}: no transition`);
    return false;
  });
  const sorted = applied.map((e, order) => ({ e, order })).sort((a, b) => a.e.appliedMs! - b.e.appliedMs! || a.order - b.order).map((x) => x.e);

  const phases: PhasePlan[] = [{ name: 'baseline', kind: 'baseline', startMs: -Infinity, endMs: Infinity, faults: [] }];
  const active = new Map<string, number>();
  const counters = { fault: 0, recovery: 0 };
  const transitions: TransitionPlan[] = [];
  for (const e of sorted) {
    const key = `${e.proxy}:${e.type}`;
    const atMs = e.appliedMs!;
    const kind = e.kind ?? 'edge';
    if (kind !== 'ramp') {
      const before = active.size;
      const n = active.get(key) ?? 0;
      if (e.edge === 'on') active.set(key, n + 1);
      else if (n > 1) active.set(key, n - 1);
      else if (n === 1) active.delete(key);
      else warnings.push(`"off" event for ${key} at ${atMs.toFixed(0)} ms without an "on" before it`);
      if (active.size !== before) startPhase(phases, counters, atMs, [...active.keys()]);
    }
    transitions.push({
      edge: e.edge, kind, proxy: e.proxy, type: e.type, step: e.step, atMs,
      skewMs: Number.isFinite(e.scheduledMs) ? atMs - e.scheduledMs : null,
      windowStartMs: atMs - params.transitionBeforeMs,
      windowEndMs: atMs + params.transitionAfterMs,
      horizonEndMs: atMs + params.settleHorizonMs,
      activeAfter: [...active.keys()],
    });
  }
  for (let i = 0; i + 1 < transitions.length; i++) {
    const t = transitions[i]!;
    t.horizonEndMs = Math.min(t.horizonEndMs, Math.max(t.atMs, transitions[i + 1]!.atMs));
  }
  return { phases, transitions, warnings };
}

function startPhase(phases: PhasePlan[], counters: { fault: number; recovery: number }, atMs: number, faults: string[]): void {
  const kind = faults.length > 0 ? 'fault' : 'recovery';
  const previous = phases[phases.length - 1]!;
  if (previous.startMs === atMs && previous.kind !== 'baseline') {
    // Two edges at the same instant: one phase, named after its final state.
    phases.pop();
    counters[previous.kind as 'fault' | 'recovery']--;
  } else {
    previous.endMs = atMs;
  }
  const n = ++counters[kind];
  phases.push({ name: `${kind}-${n}`, kind, startMs: atMs, endMs: Infinity, faults });
}

/** Index of the phase holding offset `tMs` (phases are contiguous and sorted). */
export function phaseIndexAt(phases: PhasePlan[], tMs: number): number {
  let i = phases.length - 1;
  while (i > 0 && tMs < phases[i]!.startMs) i--;
  return i;
}

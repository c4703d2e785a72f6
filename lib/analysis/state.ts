import { InvalidInputError } from '../errors.ts';
import type { EventsFile } from '../timeline/events.ts';
import type { AnalysisParameters } from './parameters.ts';
import { mergeVitals, type VitalsState } from './vitals-state.ts';
import { mergeWindowData, mergeWindowMaps, type WindowData } from './window.ts';

// Everything the summary is computed from, as plain JSON data: counts and encoded
// histograms per window. Two states on the same clock (several k6 machines, each with its
// own samples file: the same t0, events and parameters) merge into the state of the whole run.

export const STATE_VERSION = 1;

export interface AnalysisState {
  stateVersion: number;
  /** Epoch ms of t0 (the events' t0, or the first send time read when there were none). */
  t0Ms: number;
  t0FromEvents: boolean;
  events: EventsFile | null;
  params: AnalysisParameters;
  /** Tag filters used by the SLOs, by key (`name:verify`), with their windows. */
  filters: Record<string, WindowData>;
  /** Offsets from t0 of the earliest send and the latest end seen (null: no request). */
  firstSendMs: number | null;
  lastSendMs: number | null;
  lastEndMs: number | null;
  overall: WindowData;
  /** Per-second windows by index from t0 (`"12"` = [12 s, 13 s)). */
  seconds: Record<string, WindowData>;
  /** Per phase of the plan, in order. */
  phases: WindowData[];
  /** Per transition of the plan: fine windows by index from the edge (`"-3"` = [edge - 300 ms, edge - 200 ms)). */
  transitions: Array<Record<string, WindowData>>;
  /** What the readers reported (one entry per samples file). */
  inputs: InputReport[];
  /** The watched processes' vital signs (vitals.json), when the run recorded them. */
  vitals?: VitalsState;
}

export interface InputReport {
  file: string;
  format: string;
  lines: number;
  requests: number;
  problemCount: number;
  problems: Array<{ line: number; reason: string }>;
  wholeSecondTimes: boolean;
  streamError?: string;
}

/** Samples that cannot be analysed as one run: bad input (exit 2), said in one line. */
export class UnmergeableError extends InvalidInputError {
  constructor(message: string, file: string) {
    super(message, [{ path: file, expected: 'samples of the same run' }]);
    this.name = 'UnmergeableError';
    this.message = message;
  }
}

export function mergeStates(a: AnalysisState, b: AnalysisState): AnalysisState {
  const differs = a.t0Ms !== b.t0Ms ? 't0' : JSON.stringify(a.events) !== JSON.stringify(b.events) ? 'events' : JSON.stringify(a.params) !== JSON.stringify(b.params) ? 'parameters' : null;
  if (differs) {
    const files = (s: AnalysisState) => s.inputs.map((i) => i.file).join(', ');
    throw new UnmergeableError(`cannot merge the analysis of ${files(b)} into that of ${files(a)}: their ${differs} differ (only analyses on the same t0, events and parameters merge)`, files(b));
  }
  const min = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.min(x, y));
  const max = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.max(x, y));
  return {
    ...a,
    filters: mergeWindowMaps(a.filters, b.filters),
    firstSendMs: min(a.firstSendMs, b.firstSendMs),
    lastSendMs: max(a.lastSendMs, b.lastSendMs),
    lastEndMs: max(a.lastEndMs, b.lastEndMs),
    overall: mergeWindowData(a.overall, b.overall),
    seconds: mergeWindowMaps(a.seconds, b.seconds),
    phases: a.phases.map((w, i) => mergeWindowData(w, b.phases[i]!)),
    transitions: a.transitions.map((t, i) => mergeWindowMaps(t, b.transitions[i]!)),
    inputs: [...a.inputs, ...b.inputs],
    ...withVitals(mergeVitals(a.vitals, b.vitals)),
  };
}

/** `{ vitals }` when there are any: a state without them has no such key. */
export function withVitals(vitals: VitalsState | undefined): { vitals?: VitalsState } {
  return vitals ? { vitals } : {};
}

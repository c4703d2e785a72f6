import type { AnalysisParameters } from './parameters.ts';
import { planAnalysis, type AnalysisPlan } from './plan.ts';
import type { ScenarioInfo } from './scenario-info.ts';
import { bandFor, baselineBand, settleTimeMs, type Band } from './settle.ts';
import { evaluateSlos } from './slo.ts';
import type { AnalysisState } from './state.ts';
import { emptyStats, errorRate, statsOf } from './stats.ts';
import { SUMMARY_SCHEMA_VERSION, type Phase, type SeriesPoint, type Summary, type Transition } from './summary.ts';
import { summarizeVitals, vitalsWarnings } from './vitals-summary.ts';
import { coverageWarnings } from './warnings.ts';

// From the plain-data state to summary.json. Pure: the same state gives the same summary,
// whether it came from one file or from several merged.

export interface SummaryContext {
  scenario?: ScenarioInfo | undefined;
  engine?: { name: string; version?: string } | undefined;
  versions?: Record<string, string> | undefined;
}

export function summarize(state: AnalysisState, context: SummaryContext = {}): Summary {
  const plan = planAnalysis(state.events, state.params);
  const durationMs = Math.max(0, state.lastEndMs ?? 0);
  const overall = state.overall.requests + state.overall.dropped > 0 ? statsOf(state.overall) : emptyStats();
  const phases = summarizePhases(state, plan, durationMs);
  const transitions = summarizeTransitions(state, plan, phases);
  const scenario = context.scenario;
  const partial: Omit<Summary, 'slo' | 'verdict'> = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: scenario?.target ? { name: scenario.name, target: scenario.target } : { name: scenario?.name ?? 'unknown' },
    engine: context.engine ?? { name: 'unknown' },
    versions: context.versions ?? {},
    startedAt: new Date(state.t0Ms).toISOString(),
    durationMs,
    load: {
      // 0 = unknown (no scenario given).
      targetRate: scenario?.targetRate ?? 0,
      achievedRate: durationMs > 0 ? (state.overall.requests * 1000) / durationMs : 0,
      requests: state.overall.requests,
      dropped: state.overall.dropped,
    },
    overall,
    phases,
    series: summarizeSeries(state),
    transitions,
    warnings: [...plan.warnings, ...coverageWarnings(state), ...vitalsWarnings(state.vitals), ...shortHorizons(transitions, state.params)],
    parameters: state.params,
    inputs: state.inputs.map((i) => ({ file: i.file, format: i.format, lines: i.lines, requests: i.requests, skippedLines: i.problemCount })),
    vitals: summarizeVitals(state.vitals, plan.phases, state.params.seriesWindowMs),
  };
  const slo = evaluateSlos(scenario?.slo ?? [], partial, state);
  return { ...partial, slo, verdict: slo.every((r) => r.pass) ? 'pass' : 'fail' };
}

/** A horizon too short for the hold cannot show settling: say so, rather than let "never" stand unexplained. */
function shortHorizons(transitions: Transition[], params: AnalysisParameters): string[] {
  // The last judgement window of the hold from the edge ends at hold - W + J.
  const neededMs = params.settleHoldMs - params.fineWindowMs + params.judgeWindowMs;
  return transitions
    .filter((t) => (t.settleHorizonMs ?? 0) < neededMs)
    .map((t) => `transition ${t.edge} ${t.proxy}:${t.type} at ${t.atMs.toFixed(0)} ms: only ${(t.settleHorizonMs ?? 0).toFixed(0)} ms until the next transition or the end of the data, shorter than the ${neededMs} ms the ${params.settleHoldMs} ms hold needs (judged on ${params.judgeWindowMs} ms windows); its settle time cannot be judged (null)`);
}

function summarizePhases(state: AnalysisState, plan: AnalysisPlan, durationMs: number): Phase[] {
  const dataStartMs = Math.min(0, Math.floor(state.firstSendMs ?? 0));
  return plan.phases.map((p, i) => {
    const w = state.phases[i]!;
    const stats = w.requests + w.dropped > 0 ? statsOf(w) : emptyStats();
    const startMs = Number.isFinite(p.startMs) ? p.startMs : dataStartMs;
    const endMs = Number.isFinite(p.endMs) ? p.endMs : Math.max(durationMs, startMs);
    return { name: p.name, kind: p.kind, startMs, endMs, faults: p.faults, ...stats };
  });
}

/** Every window from the first to the last, empty ones included (zeros), so charts have no gaps. */
function summarizeSeries(state: AnalysisState): SeriesPoint[] {
  const keys = Object.keys(state.seconds).map(Number);
  if (keys.length === 0) return [];
  const width = state.params.seriesWindowMs;
  const out: SeriesPoint[] = [];
  for (let k = Math.min(...keys); k <= Math.max(...keys); k++) {
    const w = state.seconds[String(k)];
    const stats = w && w.requests + w.dropped > 0 ? statsOf(w) : emptyStats();
    out.push({ tMs: k * width, windowMs: width, ...stats });
  }
  return out;
}

function summarizeTransitions(state: AnalysisState, plan: AnalysisPlan, phases: Phase[]): Transition[] {
  const params = state.params;
  const baselineIndex = phases.findIndex((p) => p.kind === 'baseline');
  const baselinePhase = phases[baselineIndex];
  const baseline: Band | null = baselinePhase
    ? baselineBand(state.seconds, params.seriesWindowMs, baselinePhase.startMs, baselinePhase.endMs, state.phases[baselineIndex]!, params)
    : null;
  const t0 = state.t0Ms;
  return plan.transitions.map((t, i) => {
    const windows = state.transitions[i] ?? {};
    // Transition window counts: the fine windows [-before/W, after/W) from the edge.
    const counts = { requests: 0, errors: 0, dropped: 0 };
    for (let k = -params.transitionBeforeMs / params.fineWindowMs; k < params.transitionAfterMs / params.fineWindowMs; k++) {
      const w = windows[String(k)];
      if (!w) continue;
      counts.requests += w.requests;
      counts.errors += w.errors;
      counts.dropped += w.dropped;
    }
    const dataEndMs = state.lastSendMs ?? t.atMs;
    const horizonMs = Math.max(0, Math.min(t.horizonEndMs, dataEndMs) - t.atMs);
    const backToBaseline = t.edge === 'off' && t.activeAfter.length === 0;
    const band = bandFor({ windows, horizonMs, baseline: backToBaseline ? baseline : null }, params);
    const settle = band ? settleTimeMs({ windows, horizonMs, baseline: null }, band, params) : null;
    return {
      edge: t.edge, kind: t.kind, step: t.step, proxy: t.proxy, type: t.type,
      at: new Date(t0 + t.atMs).toISOString(), atMs: t.atMs,
      windowStartMs: t.windowStartMs, windowEndMs: t.windowEndMs,
      errorRate: errorRate(counts), ...counts,
      settleTimeMs: settle,
      recoveryTimeMs: t.edge === 'off' ? settle : null,
      skewMs: t.skewMs,
      settleHorizonMs: horizonMs,
      band,
    };
  });
}


// Number and text formatting shared by the report formats and `compare`. Latencies are
// milliseconds, rates are fractions (0..1): the same units as summary.json.

const DASH = '-';

/** A latency or duration in milliseconds: `0.42 ms`, `12.3 ms`, `250 ms`, `1.35 s`. */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  const abs = Math.abs(ms);
  if (abs >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (abs >= 100) return `${ms.toFixed(0)} ms`;
  if (abs >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** A fraction shown as a percentage: `0.0123` -> `1.23%`. */
export function fmtPct(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return DASH;
  return `${(fraction * 100).toFixed(2)}%`;
}

/** A CPU share in cores (1 = one core busy throughout): `0.93 cores`. */
export function fmtCores(cores: number | null | undefined): string {
  if (cores === null || cores === undefined || !Number.isFinite(cores)) return DASH;
  return `${cores.toFixed(2)} cores`;
}

/** Bytes in MiB (2^20): `48.3 MiB`. */
export function fmtMiB(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return DASH;
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Requests per second. */
export function fmtRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return DASH;
  return `${perSecond.toFixed(1)} req/s`;
}

/** An offset from t0: `+10.00 s`. */
export function fmtOffset(ms: number): string {
  return `+${(ms / 1000).toFixed(2)} s`;
}

/** A count with thousands separators, independent of the machine's locale. */
export function fmtCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The step settle and recovery times are measured in (fineWindowMs; README "Measures"). */
export const SETTLE_STEP_MS = 100;

/**
 * A settle or recovery time with the precision it is measured with, one step (`stepMs`,
 * the summary's fineWindowMs): `0.3 s`, `1.2 s`, and `< 0.1 s` for 0 (in band from the
 * first step on). `null` means it never settled within the analysed span.
 */
export function fmtSettle(ms: number | null, stepMs = SETTLE_STEP_MS): string {
  if (ms === null) return 'never settled';
  return ms < stepMs ? `< ${fmtSeconds(stepMs, stepMs)}` : fmtSeconds(ms, stepMs);
}

/** The settle step a summary was computed with. */
export function stepOf(s: { parameters?: { fineWindowMs?: number } }): number {
  return s.parameters?.fineWindowMs ?? SETTLE_STEP_MS;
}

/** Seconds with as many decimals as one step needs: 100 ms steps give `0.3 s`. */
export function fmtSeconds(ms: number, stepMs = SETTLE_STEP_MS): string {
  let decimals = 0;
  while (decimals < 3 && !Number.isInteger(Math.round((stepMs / 1000) * 10 ** decimals * 1e6) / 1e6)) decimals++;
  return `${(ms / 1000).toFixed(decimals)} s`;
}

/** Whether an SLO measure is a settle or recovery time (`transition.settleTime`, `recovery.time`). */
export function isSettleMeasure(measure: string): boolean {
  return /^(transition(\[\d+\])?\.settleTime|recovery(\[\d+\])?\.time)$/.test(measure);
}

/** The observed value of an SLO in the unit its measure implies. */
export function fmtObserved(measure: string, condition: string, value: number | null): string {
  if (value === null) return 'no data';
  if (isSettleMeasure(measure)) return fmtSettle(value);
  if (/^\s*rate/.test(condition) || /errorRate|failed/.test(measure)) return fmtPct(value);
  if (/duration|time|settle|waiting|p\d|max|min|med|avg/.test(`${measure} ${condition}`)) return fmtMs(value);
  return String(Number(value.toPrecision(6)));
}

/** The edge of a transition, with its kind when it is not a plain switch: `on`, `on (ramp)`. */
export function edgeLabel(t: { edge: string }): string {
  // `kind` (edge | ramp | cleanup) is newer than the first summaries: absent means `edge`.
  const kind = (t as { kind?: string }).kind;
  return kind && kind !== 'edge' ? `${t.edge} (${kind})` : t.edge;
}

/** A transition as people name it: `on store:down at +10.00 s`. */
export function transitionLabel(t: { edge: string; proxy: string; type: string; atMs: number }): string {
  return `${edgeLabel(t)} ${t.proxy}:${t.type} at ${fmtOffset(t.atMs)}`;
}

/** Why an SLO had nothing (valid) to judge, when analysis said so. */
export function sloNote(r: object): string {
  const note = (r as { note?: unknown }).note;
  return typeof note === 'string' ? note : '';
}

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

/** The settle time of a transition; `null` means it never settled within the analysed span. */
export function fmtSettle(ms: number | null): string {
  return ms === null ? 'never settled' : fmtMs(ms);
}

/** The observed value of an SLO in the unit its measure implies. */
export function fmtObserved(measure: string, condition: string, value: number | null): string {
  if (value === null) return 'no data';
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

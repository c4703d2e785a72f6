import type { Comparison, ComparisonRow } from './compare.ts';
import { fmtMs, fmtPct, fmtRate, fmtSeconds, fmtSettle } from './format.ts';
import { describeTolerances } from './tolerance.ts';

// The side-by-side table `faultline compare` prints: measure, baseline, now, change, verdict.

const isSettle = (r: ComparisonRow) => r.measure.endsWith('settle time');

function value(r: ComparisonRow, v: number | null): string {
  if (v === null) return isSettle(r) && r.verdict !== 'missing' && r.verdict !== 'new' ? 'never' : '-';
  if (isSettle(r)) return fmtSettle(v); // to its step (100 ms): `0.3 s`, `< 0.1 s`
  return r.unit === 'ms' ? fmtMs(v) : r.unit === 'fraction' ? fmtPct(v) : fmtRate(v);
}

function change(r: ComparisonRow): string {
  if (r.baseline === null || r.now === null) return '';
  const d = r.now - r.baseline;
  if (d === 0) return '0';
  const sign = d > 0 ? '+' : d < 0 ? '-' : '±';
  if (r.unit === 'fraction') return `${sign}${Math.abs(d * 100).toFixed(2)} pp`;
  const abs = isSettle(r) ? fmtSeconds(Math.abs(d)) : r.unit === 'ms' ? fmtMs(Math.abs(d)) : fmtRate(Math.abs(d));
  const rel = r.baseline !== 0 ? ` (${sign}${Math.abs((d / r.baseline) * 100).toFixed(1)}%)` : '';
  return `${sign}${abs}${rel}`;
}

function verdict(r: ComparisonRow): string {
  const p = r.p === null ? '' : `p=${r.p < 0.001 ? r.p.toExponential(1) : r.p.toFixed(3)}`;
  const why = [p, r.note].filter(Boolean).join(', ');
  const word = { ok: 'ok', regression: 'REGRESSION', better: 'better', noise: 'within noise', missing: 'missing', new: 'new' }[r.verdict];
  return why ? `${word} (${why})` : word;
}

export function formatComparison(c: Comparison, names: { now: string; baseline: string }): string {
  const head = ['measure', 'baseline', 'now', 'change', 'verdict'];
  const rows = c.rows.map((r) => [r.measure, value(r, r.baseline), value(r, r.now), change(r), verdict(r)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((x, i) => (i === 0 || i === cells.length - 1 ? x.padEnd(widths[i] ?? 0) : x.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [
    `now:      ${names.now}`,
    `baseline: ${names.baseline}`,
    `regression = worse than tolerance (${describeTolerances(c.tolerances)})`,
    `             and than noise (one-sided Mann-Whitney U over per-second windows, alpha ${c.alpha})`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    c.regressions.length === 0 ? 'no regression' : `${c.regressions.length} regression(s): ${c.regressions.map((r) => r.measure).join(', ')}`,
  ];
  return `${out.join('\n')}\n`;
}

import type { Summary } from '../analysis/summary.ts';
import { fmtSettle, isSettleMeasure, stepOf } from './format.ts';

// The short plain-text table a person reads after a run or `faultline analyze`.

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const ms = (x: number | null) => (x === null ? 'never' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 2 : 0)} ms`);

/** The short table a person reads after `faultline analyze`. */
export function formatSummaryTable(s: Summary): string {
  const lines = [
    `${s.scenario.name}: ${s.load.requests} requests, ${s.load.dropped} dropped, ${(s.durationMs / 1000).toFixed(1)} s, ` +
      `${s.load.achievedRate.toFixed(1)} req/s${s.load.targetRate ? ` (asked ${s.load.targetRate})` : ''}`,
    '',
    row(['phase', 'requests', 'errors', 'dropped', 'err%', 'p50', 'p95', 'p99', 'max']),
  ];
  for (const p of [{ ...s.overall, name: 'overall' }, ...s.phases]) {
    lines.push(row([p.name, String(p.requests), String(p.errors), String(p.dropped), pct(p.errorRate), ms(p.p50), ms(p.p95), ms(p.p99), ms(p.max)]));
  }
  const settle = (x: number | null) => (x === null ? 'never' : fmtSettle(x, stepOf(s)));
  if (s.transitions.length > 0) {
    lines.push('', row(['transition', 'at', 'err%', 'settle', 'recovery', 'skew']));
    for (const t of s.transitions) {
      lines.push(row([`${t.edge} ${t.proxy}:${t.type}`, ms(t.atMs), pct(t.errorRate), settle(t.settleTimeMs), t.edge === 'off' ? settle(t.recoveryTimeMs) : '-', t.skewMs === null ? '-' : ms(t.skewMs)]));
    }
  }
  if (s.slo.length > 0) {
    lines.push('');
    const observed = (r: Summary['slo'][number]) => (r.observed === null ? 'none' : isSettleMeasure(r.measure) ? settle(r.observed) : Number(r.observed.toPrecision(4)));
    for (const r of s.slo) lines.push(`${r.pass ? 'PASS' : 'FAIL'}  ${r.measure} ${r.condition}  observed ${observed(r)}${r.note ? ` (${r.note})` : ''}`);
  }
  lines.push('', `verdict: ${s.verdict}`, '');
  return lines.join('\n');
}

function row(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(22) : c.padStart(10))).join('');
}

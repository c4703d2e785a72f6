import type { Phase, Summary } from '../analysis/summary.ts';
import { edgeLabel, fmtCount, fmtMs, fmtObserved, fmtOffset, fmtPct, fmtRate, fmtSettle, stepOf, sloNote } from './format.ts';
import type { ReportFormat } from './format-types.ts';
import { VITALS_HEAD, vitalsOf, vitalsRows } from './vitals-table.ts';

// report.md: what a person reads first, in a terminal or a CI job's summary page.

/** Text for a table cell: no pipes or newlines that would break the table, no raw HTML. */
function cell(value: unknown): string {
  return String(value).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

class Code { constructor(readonly text: string) {} }

/** Code (measures, conditions): shown as written, where `<` needs no escaping. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}

/** Cells are escaped text, except those already made into code spans by code(). */
function table(head: string[], rows: unknown[][]): string {
  const line = (cells: unknown[]) => `| ${cells.map((c) => (c instanceof Code ? c.text : cell(c))).join(' | ')} |`;
  return [line(head), `|${head.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

function verdict(s: Summary): string {
  const failed = s.slo.filter((r) => !r.pass);
  const head = `**Verdict: ${s.verdict.toUpperCase()}**`;
  if (failed.length === 0) return `${head} (${s.slo.length} SLO(s) met)`;
  return `${head}: ${failed.length} of ${s.slo.length} SLO(s) failed: ${failed.map((r) => code(`${r.measure} ${r.condition}`)).join(', ')}`;
}

function load(s: Summary): string {
  const { load: l } = s;
  const dropShare = l.requests + l.dropped > 0 ? l.dropped / (l.requests + l.dropped) : 0;
  return table(['', 'asked', 'achieved'], [
    ['rate', l.targetRate > 0 ? fmtRate(l.targetRate) : 'not known', fmtRate(l.achievedRate)], // 0: analysed without the scenario
    ['requests', '', fmtCount(l.requests)],
    ['dropped iterations', '', `${fmtCount(l.dropped)} (${fmtPct(dropShare)})`],
  ]);
}

const STATS_HEAD = ['requests', 'errors', 'dropped', 'error rate', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'];
function stats(x: Summary['overall']): unknown[] {
  return [fmtCount(x.requests), fmtCount(x.errors), fmtCount(x.dropped), fmtPct(x.errorRate),
    fmtMs(x.p50), fmtMs(x.p90), fmtMs(x.p95), fmtMs(x.p99), fmtMs(x.p999), fmtMs(x.max)];
}

function phaseRow(p: Phase): unknown[] {
  return [p.name, p.kind, `${fmtOffset(p.startMs)} to ${fmtOffset(p.endMs)}`, p.faults.join(', ') || 'none', ...stats(p)];
}

function transitions(s: Summary): string {
  if (s.transitions.length === 0) return '_No fault transitions in this run._';
  return table(['#', 'edge', 'proxy', 'type', 'at', 'error rate', 'requests', 'errors', 'dropped', 'settle time', 'recovery time', 'skew'],
    s.transitions.map((t, i) => [i + 1, edgeLabel(t), t.proxy, t.type, `${fmtOffset(t.atMs)} (${t.at})`, fmtPct(t.errorRate),
      fmtCount(t.requests), fmtCount(t.errors), fmtCount(t.dropped), fmtSettle(t.settleTimeMs, stepOf(s)),
      t.edge === 'off' ? fmtSettle(t.recoveryTimeMs, stepOf(s)) : '', fmtMs(t.skewMs)]));
}

/** Per watched process, its CPU and memory per phase; nothing when no process was watched. */
function vitals(s: Summary): string[] {
  const watched = vitalsOf(s);
  if (watched.length === 0) return [];
  return ['## Vital signs', ...watched.flatMap((v) => [`### ${cell(v.process)}`, table(VITALS_HEAD, vitalsRows(v))]),
    'CPU is in cores (1 = one core busy throughout), from /proc each second; RSS in MiB; down counts the seconds the process was not found.'];
}

function slo(s: Summary): string {
  if (s.slo.length === 0) return '_No SLOs declared._';
  return table(['measure', 'condition', 'observed', 'result', 'note'],
    s.slo.map((r) => [new Code(code(r.measure)), new Code(code(r.condition)), fmtObserved(r.measure, r.condition, r.observed), r.pass ? 'pass' : '**FAIL**', sloNote(r)]));
}

function render(s: Summary): string {
  const engine = s.engine.version ? `${s.engine.name} ${s.engine.version}` : s.engine.name;
  const parts = [
    `# faultline report: ${cell(s.scenario.name)}`,
    verdict(s),
    `Started ${cell(s.startedAt)}, analysed ${(s.durationMs / 1000).toFixed(1)} s, engine ${cell(engine)}${s.scenario.target ? `, target ${cell(s.scenario.target)}` : ''}.`,
    '## Load', load(s),
    '## Overall', table(STATS_HEAD, [stats(s.overall)]),
    '## Phases', s.phases.length ? table(['phase', 'kind', 'span', 'faults', ...STATS_HEAD], s.phases.map(phaseRow)) : '_No phases._',
    ...vitals(s),
    '## Transitions',
    transitions(s),
    'Error rate is over the transition window around the edge (dropped iterations count as failures); settle and recovery times are defined in the README, "Measures"; skew is applied minus scheduled time of the fault.',
    '## SLOs', slo(s),
    '## Warnings', s.warnings.length ? s.warnings.map((w) => `- ${cell(w)}`).join('\n') : '_None._',
  ];
  return `${parts.join('\n\n')}\n`;
}

export const markdownReport: ReportFormat = { description: 'Markdown report for people and CI summaries', render };

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Phase, Summary } from '../analysis/summary.ts';
import { edgeLabel, fmtCount, fmtMs, fmtObserved, fmtOffset, fmtPct, fmtRate, fmtSettle, stepOf, sloNote } from './format.ts';
import type { ReportFormat } from './format-types.ts';
import { VITALS_HEAD, vitalsOf, vitalsRows } from './vitals-table.ts';

// report.html: one self-contained file (opened from a CI artifact, offline, years later),
// so uPlot's JS and CSS and our chart script are inlined and the data travels as an inline
// JSON script tag. Every piece of text from the summary is escaped.

const require = createRequire(import.meta.url);
const ASSETS = {
  uplotJs: require.resolve('uplot/dist/uPlot.iife.min.js'),
  uplotCss: require.resolve('uplot/dist/uPlot.min.css'),
  chartsJs: new URL('./assets/charts.js', import.meta.url),
  css: new URL('./assets/report.css', import.meta.url),
};

/** Text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON that cannot end its <script> early nor break on the JS line separators. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Inlined code must not contain a closing tag of its own element. */
function inlineCode(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
}

function table(head: string[], rows: string[][], cls = ''): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

const STATS_HEAD = ['requests', 'errors', 'dropped', 'error rate', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'];
function stats(x: Summary['overall']): string[] {
  return [fmtCount(x.requests), fmtCount(x.errors), fmtCount(x.dropped), fmtPct(x.errorRate),
    fmtMs(x.p50), fmtMs(x.p90), fmtMs(x.p95), fmtMs(x.p99), fmtMs(x.p999), fmtMs(x.max)].map(esc);
}

function phaseRow(p: Phase): string[] {
  return [`<span class="phase ${esc(p.kind)}">${esc(p.name)}</span>`, esc(`${fmtOffset(p.startMs)} to ${fmtOffset(p.endMs)}`), esc(p.faults.join(', ') || 'none'), ...stats(p)];
}

/** A chart per watched process (drawn by charts.js into `chart-vitals-<i>`), to go under the latency chart. */
function vitalsCharts(s: Summary): string {
  return vitalsOf(s).map((v, i) => `<h2>${esc(v.process)}: CPU and memory</h2><div class="chart" id="chart-vitals-${i}"></div>`).join('\n');
}

function vitalsTables(s: Summary): string {
  const watched = vitalsOf(s);
  if (watched.length === 0) return '';
  return `<h2>Vital signs</h2>${watched.map((v) => `<h3>${esc(v.process)}</h3>${table(VITALS_HEAD, vitalsRows(v).map((r) => r.map(esc)))}`).join('\n')}
<p class="legend-note">CPU in cores (1 = one core busy throughout), from /proc each second; RSS in MiB; down: seconds the process was not found.</p>`;
}

function sections(s: Summary): string {
  const l = s.load;
  const failed = s.slo.filter((r) => !r.pass).length;
  const transitions = s.transitions.length === 0 ? '<p class="none">No fault transitions in this run.</p>'
    : table(['#', 'edge', 'proxy', 'type', 'at', 'error rate', 'requests', 'errors', 'dropped', 'settle time', 'recovery time', 'skew'],
      s.transitions.map((t, i) => [String(i + 1), esc(edgeLabel(t)), esc(t.proxy), esc(t.type), `${esc(fmtOffset(t.atMs))}<br><small>${esc(t.at)}</small>`,
        esc(fmtPct(t.errorRate)), esc(fmtCount(t.requests)), esc(fmtCount(t.errors)), esc(fmtCount(t.dropped)),
        `<span class="${t.settleTimeMs === null ? 'bad' : ''}">${esc(fmtSettle(t.settleTimeMs, stepOf(s)))}</span>`,
        t.edge === 'off' ? esc(fmtSettle(t.recoveryTimeMs, stepOf(s))) : '', esc(fmtMs(t.skewMs))]));
  const slo = s.slo.length === 0 ? '<p class="none">No SLOs declared.</p>'
    : table(['measure', 'condition', 'observed', 'result', 'note'], s.slo.map((r) => [esc(r.measure), `<code>${esc(r.condition)}</code>`,
      esc(fmtObserved(r.measure, r.condition, r.observed)), r.pass ? '<span class="good">pass</span>' : '<span class="bad">FAIL</span>', esc(sloNote(r))]));
  return `
<header class="verdict ${esc(s.verdict)}"><h1>${esc(s.scenario.name)}</h1><div class="badge">${esc(s.verdict.toUpperCase())}</div>
<p>${esc(failed ? `${failed} of ${s.slo.length} SLO(s) failed` : `${s.slo.length} SLO(s) met`)}. Started ${esc(s.startedAt)}, analysed ${esc((s.durationMs / 1000).toFixed(1))} s,
engine ${esc(s.engine.name)}${s.engine.version ? ` ${esc(s.engine.version)}` : ''}${s.scenario.target ? `, target <code>${esc(s.scenario.target)}</code>` : ''}.</p></header>
<section class="cards">
<div><b>${esc(fmtRate(l.achievedRate))}</b><span>achieved${l.targetRate > 0 ? ` of ${esc(fmtRate(l.targetRate))} asked` : ''}</span></div>
<div><b>${esc(fmtCount(l.requests))}</b><span>requests, ${esc(fmtCount(l.dropped))} dropped</span></div>
<div><b>${esc(fmtPct(s.overall.errorRate))}</b><span>error rate overall</span></div>
<div><b>${esc(fmtMs(s.overall.p99))}</b><span>p99 overall</span></div>
</section>
<h2>Latency over time</h2><div class="chart" id="chart-latency"></div>
${vitalsCharts(s)}
<h2>Error rate over time</h2><div class="chart" id="chart-errors"></div>
<p class="legend-note">Shaded: fault intervals. Vertical lines: transitions; the bar after each one spans its settle time.</p>
<h2>Overall</h2>${table(STATS_HEAD, [stats(s.overall)])}
<h2>Phases</h2>${s.phases.length ? table(['phase', 'span', 'faults', ...STATS_HEAD], s.phases.map(phaseRow)) : '<p class="none">No phases.</p>'}
${vitalsTables(s)}
<h2>Transitions</h2>${transitions}
<h2>SLOs</h2>${slo}
<h2>Warnings</h2>${s.warnings.length ? `<ul>${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '<p class="none">None.</p>'}`;
}

async function render(s: Summary): Promise<string> {
  const [uplotJs, uplotCss, chartsJs, css] = await Promise.all(Object.values(ASSETS).map((p) => readFile(p, 'utf8')));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`faultline: ${s.scenario.name} (${s.verdict})`)}</title>
<style>${inlineCode(uplotCss ?? '', 'style')}</style>
<style>${inlineCode(css ?? '', 'style')}</style>
</head><body><main>
${sections(s)}
</main>
<script type="application/json" id="faultline-summary">${inlineJson(s)}</script>
<script>${inlineCode(uplotJs ?? '', 'script')}</script>
<script>${inlineCode(chartsJs ?? '', 'script')}</script>
</body></html>
`;
}

export const htmlReport: ReportFormat = { description: 'self-contained HTML report with charts (uPlot inlined)', render };

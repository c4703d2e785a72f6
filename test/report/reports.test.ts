import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fmtCount, fmtMs, fmtObserved, fmtPct, fmtSettle, stepOf } from '../../lib/report/format.ts';
import { REPORT_FORMATS, writeReports } from '../../lib/report/index.ts';
import { makeRun } from './fixture.ts';

const render = async (file: string, run = makeRun()) => {
  const format = REPORT_FORMATS[file];
  assert.ok(format, `${file} is registered`);
  return format.render(run);
};

// The reports read back as a person or a CI tool reads them: tables by their column names,
// junit.xml by its elements, text with its escapes undone.
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'", '&amp;': '&' };
const unescapeXml = (text: string) => text.replace(/&(lt|gt|quot|#39|apos|amp);/g, (e) => ENTITIES[e]!);

type Row = Record<string, string>;
const rowsOf = (head: string[], rows: string[][]): Row[] => rows.map((cells) => {
  assert.equal(cells.length, head.length, `a row of ${head.length} cells: ${cells.join(' | ')}`);
  return Object.fromEntries(head.map((h, i) => [h, cells[i]!]));
});

/** The markdown table under `## heading`, a record per row keyed by the header. */
function mdTable(md: string, heading: string): Row[] {
  const section = md.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  assert.ok(section, `report.md has ## ${heading}`);
  const cells = (line: string) => line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replace(/\\\|/g, '|').replace(/^`(.*)`$/, '$1'));
  const [head, rule, ...rows] = section.split('\n').filter((l) => l.startsWith('|'));
  assert.match(rule ?? '', /^\|( --- \|)+$/);
  return rowsOf(cells(head!), rows.map(cells));
}

/** The HTML table after `<h2>heading</h2>`, a record per row keyed by the header. */
function htmlTable(html: string, heading: string): Row[] {
  const m = new RegExp(`<h2>${heading}</h2><table[^>]*>([\\s\\S]*?)</table>`).exec(html);
  assert.ok(m, `report.html has a table under <h2>${heading}</h2>`);
  const text = (cell: string) => unescapeXml(cell.replace(/<br>/g, ' ').replace(/<[^>]+>/g, '')).trim();
  const head = [...m[1]!.matchAll(/<th>(.*?)<\/th>/g)].map((c) => text(c[1]!));
  const rows = [...m[1]!.matchAll(/<tr>(<td>[\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]!)));
  return rowsOf(head, rows);
}

interface JunitCase { name: string; failure: string | null; out: string }

/** junit.xml read back: the totals each element declares and every test case. */
function parseJunit(xml: string) {
  const attrs = (tag: string): Record<string, string> => Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, unescapeXml(a[2]!)]));
  const root = /<testsuites ([^>]*)>/.exec(xml);
  assert.ok(root, 'a <testsuites> element');
  const suites = [...xml.matchAll(/<testsuite ([^>]*)>([\s\S]*?)<\/testsuite>/g)].map((s) => {
    const cases = [...s[2]!.matchAll(/<testcase ([^>]*)>([\s\S]*?)<\/testcase>/g)].map((c): JunitCase => ({
      name: attrs(c[1]!).name!,
      failure: attrs(/<failure ([^>]*)>/.exec(c[2]!)?.[1] ?? '').message ?? null,
      out: unescapeXml(/<system-out>([\s\S]*?)<\/system-out>/.exec(c[2]!)?.[1] ?? ''),
    }));
    return { attrs: attrs(s[1]!), cases };
  });
  return { attrs: attrs(root[1]!), suites, cases: suites.flatMap((s) => s.cases) };
}

test('writeReports writes every registered format, and each carries the summary\'s figures where they belong', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-report-'));
  try {
    // A failing run: the store's return never settled, so `recovery.time max<2s` fails.
    const run = makeRun({ settleOffMs: null });
    const out = join(dir, 'nested', 'run');
    const paths = await writeReports(run, out);
    assert.deepEqual(paths, ['report.md', 'report.html', 'junit.xml'].map((f) => join(out, f)));
    const [md, html, xml] = await Promise.all(paths.map((p) => readFile(p, 'utf8')));
    const step = stepOf(run);
    const failedSlos = run.slo.filter((r) => !r.pass);
    assert.deepEqual(failedSlos.map((r) => r.measure), ['recovery.time'], 'the fixture fails one SLO');

    // The same tables in report.md and report.html.
    for (const [format, table] of [['report.md', (h: string) => mdTable(md!, h)], ['report.html', (h: string) => htmlTable(html!, h)]] as const) {
      const [overall] = table('Overall');
      assert.deepEqual([overall!.requests, overall!['error rate'], overall!.p50, overall!.p95, overall!.p99, overall!.max],
        [fmtCount(run.overall.requests), fmtPct(run.overall.errorRate), fmtMs(run.overall.p50), fmtMs(run.overall.p95), fmtMs(run.overall.p99), fmtMs(run.overall.max)], `${format}: overall`);
      assert.deepEqual(table('Phases').map((r) => [r.phase, r.faults, r['error rate'], r.p99]),
        run.phases.map((p) => [p.name, p.faults.join(', ') || 'none', fmtPct(p.errorRate), fmtMs(p.p99)]), `${format}: phases`);
      assert.deepEqual(table('Transitions').map((r) => [r['#'], r.edge, r.proxy, r.type, r['error rate'], r['settle time'], r['recovery time'], r.skew]),
        run.transitions.map((t, i) => [String(i + 1), t.edge, t.proxy, t.type, fmtPct(t.errorRate), fmtSettle(t.settleTimeMs, step),
          t.edge === 'off' ? fmtSettle(t.recoveryTimeMs, step) : '', fmtMs(t.skewMs)]), `${format}: transitions`);
      assert.deepEqual(table('SLOs').map((r) => [r.measure, r.condition, r.observed, (r.result ?? '').replace(/\*/g, '')]),
        run.slo.map((r) => [r.measure, r.condition, fmtObserved(r.measure, r.condition, r.observed), r.pass ? 'pass' : 'FAIL']), `${format}: SLOs`);
    }
    assert.deepEqual(mdTable(md!, 'Transitions').map((r) => (r.at ?? '').startsWith(`+${(run.transitions[Number(r['#']) - 1]!.atMs / 1000).toFixed(2)} s`)), [true, true]);
    assert.match(md!, /^\*\*Verdict: FAIL\*\*: 1 of 4 SLO\(s\) failed: `recovery\.time max<2s`$/m);
    assert.match(html!, /<header class="verdict fail">.*<div class="badge">FAIL<\/div>\n<p>1 of 4 SLO\(s\) failed\./);
    assert.ok(html!.includes(`<b>${fmtMs(run.overall.p99)}</b><span>p99 overall</span>`), 'the p99 card');
    assert.ok(html!.includes(`<b>${fmtPct(run.overall.errorRate)}</b><span>error rate overall</span>`), 'the error-rate card');
    // The charts draw from the summary itself, inlined whole.
    const inline = /<script type="application\/json" id="faultline-summary">(.*?)<\/script>/.exec(html!);
    assert.deepEqual(JSON.parse(inline![1]!), JSON.parse(JSON.stringify(run)));

    // junit.xml: a case per SLO and per transition, failures counted as they are listed.
    const junit = parseJunit(xml!);
    assert.deepEqual(junit.suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures]), [
      ['faultline.redis-outage.slo', String(run.slo.length), String(failedSlos.length)],
      ['faultline.redis-outage.transitions', String(run.transitions.length), '1'],
    ]);
    for (const s of junit.suites) assert.equal(Number(s.attrs.failures), s.cases.filter((c) => c.failure !== null).length, `${s.attrs.name}: failures= counts its <failure>s`);
    assert.equal(Number(junit.attrs.tests), junit.cases.length);
    assert.equal(Number(junit.attrs.failures), junit.cases.filter((c) => c.failure !== null).length);
    const sloCases = junit.suites[0]!.cases;
    assert.deepEqual(sloCases.map((c) => [c.name, c.failure === null]), run.slo.map((r) => [`${r.measure} ${r.condition}`, r.pass]));
    for (const [i, r] of run.slo.entries()) {
      assert.ok(sloCases[i]!.out.includes(`observed ${fmtObserved(r.measure, r.condition, r.observed)}`), `${r.measure}: ${sloCases[i]!.out}`);
    }
    const transitionCases = junit.suites[1]!.cases;
    for (const [i, t] of run.transitions.entries()) {
      assert.ok(transitionCases[i]!.out.startsWith(`error rate ${fmtPct(t.errorRate)} (${t.errors} errors, ${t.dropped} dropped of ${t.requests} requests); settle time ${fmtSettle(t.settleTimeMs, step)}`), transitionCases[i]!.out);
    }
    assert.deepEqual(transitionCases.map((c) => c.failure), [null, 'never settled; SLO recovery.time max<2s failed']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('report.md: verdict, load asked vs achieved, phases, transitions, SLOs, warnings', async () => {
  const run = makeRun({ settleOffMs: null });
  run.warnings.push('k6 CSV | whole seconds');
  const md = await render('report.md', run);
  assert.match(md, /^# faultline report: redis-outage$/m);
  assert.match(md, /\*\*Verdict: FAIL\*\*: 1 of 4 SLO\(s\) failed: `recovery\.time max<2s`/);
  assert.match(md, /\| rate \| 1000\.0 req\/s \| 999\.\d req\/s \|/);
  assert.match(md, /\| fault-1 \| fault \| \+10\.00 s to \+15\.00 s \| store:down \|/);
  assert.match(md, /\| 1 \| on \| store \| down \| \+10\.00 s \(2025-06-01T02:00:10\.000Z\) \| \d+\.\d\d% \|.*\| 1\.1 s \|  \| 3\.0 ms \|/);
  assert.match(md, /\| 2 \| off \| store \| down \|.*\| never settled \| never settled \| 4\.0 ms \|/);
  assert.match(md, /\| `recovery\.time` \| `max<2s` \| no data \| \*\*FAIL\*\* \|/);
  assert.match(md, /^- k6 CSV \\\| whole seconds$/m, 'a pipe in free text cannot break the table');
});

test('report.md of a passing run', async () => {
  const md = await render('report.md');
  assert.match(md, /\*\*Verdict: PASS\*\* \(4 SLO\(s\) met\)/);
  assert.match(md, /## Warnings\n\n_None\._/);
});

test('junit.xml: one case per SLO and per transition; never settled and transition SLOs fail their transition', async () => {
  const run = makeRun({ settleOffMs: null });
  // A second "on" transition with a high error rate breaks `transition.errorRate max<0.05`.
  const second = { ...run.transitions[0]!, atMs: 25_000, at: '2025-06-01T02:00:25.000Z', errorRate: 0.2 };
  run.transitions.push(second);
  const slo = run.slo.find((r) => r.measure === 'transition.errorRate')!;
  Object.assign(slo, { observed: 0.2, pass: false });
  const xml = await render('junit.xml', run);
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="faultline\.redis-outage" tests="7" failures="4"/);
  assert.match(xml, /<testsuite name="faultline\.redis-outage\.slo" tests="4" failures="2"/);
  assert.match(xml, /<testsuite name="faultline\.redis-outage\.transitions" tests="3" failures="2"/);
  const cases = [...xml.matchAll(/<testcase classname="[^"]+" name="([^"]+)" time="0">\n(\s+<failure message="([^"]*)")?/g)].map((m) => [m[1], m[3] ?? null]);
  assert.deepEqual(cases, [
    ['http_req_failed rate&lt;0.05', null],
    ['http_req_duration{name:verify} p(99)&lt;250', null],
    ['transition.errorRate max&lt;0.05', 'observed 20.00%, expected max&lt;0.05'],
    ['recovery.time max&lt;2s', 'observed no data, expected max&lt;2s'],
    ['#1 on store:down at +10.00 s', null],
    ['#2 off store:down at +15.00 s', 'never settled; SLO recovery.time max&lt;2s failed'],
    ['#3 on store:down at +25.00 s', 'SLO transition.errorRate max&lt;0.05 failed'],
  ]);
});

test('junit.xml escapes text and drops characters XML forbids', async () => {
  const run = makeRun();
  run.scenario.name = 'a<b>&"c"\u0001';
  const xml = await render('junit.xml', run);
  assert.match(xml, /<testsuites name="faultline\.a&lt;b&gt;&amp;&quot;c&quot;"/);
  assert.ok(!xml.includes('\u0001'));
});

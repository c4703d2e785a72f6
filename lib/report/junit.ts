import type { Summary } from '../analysis/summary.ts';
import { fmtMs, fmtObserved, fmtPct, fmtSettle, stepOf, sloNote, transitionLabel } from './format.ts';
import type { ReportFormat } from './format-types.ts';
import { transitionSloFailures } from './transition-slo.ts';

// junit.xml: one test case per SLO and one per transition, so a CI test reporter (GitLab,
// Jenkins, GitHub test-report actions) lists what broke. A transition fails when it never
// settled or when a transition SLO fails for it (see transition-slo.ts).

/** Text for XML attributes and content: the five entities, and no characters XML forbids. */
export function xml(text: unknown): string {
  return String(text)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

interface Case { name: string; failure?: { message: string; detail: string }; skipped?: string; out: string }

function sloCases(s: Summary): Case[] {
  return s.slo.map((r) => {
    const observed = fmtObserved(r.measure, r.condition, r.observed);
    const note = sloNote(r);
    const out = `${r.measure} ${r.condition}: observed ${observed}${note ? ` (${note})` : ''}`;
    if (r.pass && r.observed === null) return { name: `${r.measure} ${r.condition}`, skipped: note || 'nothing to judge', out };
    return { name: `${r.measure} ${r.condition}`, out, ...(r.pass ? {} : { failure: { message: `observed ${observed}, expected ${r.condition}`, detail: out } }) };
  });
}

function transitionCases(s: Summary): Case[] {
  return s.transitions.map((t, i) => {
    const out = `error rate ${fmtPct(t.errorRate)} (${t.errors} errors, ${t.dropped} dropped of ${t.requests} requests); ` +
      `settle time ${fmtSettle(t.settleTimeMs, stepOf(s))}; skew ${fmtMs(t.skewMs)}`;
    const reasons = [...(t.settleTimeMs === null ? ['never settled'] : []), ...transitionSloFailures(s, i).map((r) => `SLO ${r} failed`)];
    const name = `#${i + 1} ${transitionLabel(t)}`;
    return reasons.length ? { name, out, failure: { message: reasons.join('; '), detail: out } } : { name, out };
  });
}

function suite(name: string, cases: Case[], timestamp: string): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const body = cases.map((c) => {
    const inner = [
      c.failure ? `      <failure message="${xml(c.failure.message)}" type="faultline">${xml(c.failure.detail)}</failure>` : '',
      c.skipped ? `      <skipped message="${xml(c.skipped)}"/>` : '',
      `      <system-out>${xml(c.out)}</system-out>`,
    ].filter(Boolean);
    return `    <testcase classname="${xml(name)}" name="${xml(c.name)}" time="0">\n${inner.join('\n')}\n    </testcase>`;
  });
  return [`  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0" timestamp="${xml(timestamp)}">`,
    ...body, '  </testsuite>'].join('\n');
}

function render(s: Summary): string {
  const scenario = `faultline.${s.scenario.name}`;
  const suites = [
    { name: `${scenario}.slo`, cases: sloCases(s) },
    { name: `${scenario}.transitions`, cases: transitionCases(s) },
  ];
  const all = suites.flatMap((x) => x.cases);
  const timestamp = s.startedAt.replace(/Z$/, '');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(scenario)}" tests="${all.length}" failures="${all.filter((c) => c.failure).length}" errors="0" time="${(s.durationMs / 1000).toFixed(3)}">`,
    ...suites.map((x) => suite(x.name, x.cases, timestamp)),
    '</testsuites>',
    '',
  ].join('\n');
}

export const junitReport: ReportFormat = { description: 'JUnit XML: one test case per SLO and per transition', render };

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { analyzeRun, readScenarioInfo, writeAnalysis, type Summary } from '../../analysis/index.ts';
import { writeReports } from '../../report/index.ts';

const PACKAGE = new URL('../../../package.json', import.meta.url);

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('compute summary.json and latency.hlog from a run\'s samples and events; exit 1 when an SLO fails')
    .argument('<samples...>', 'k6 --out json or --out csv samples, plain or gzip (several files, e.g. one per k6 machine, are merged)')
    .option('--events <file>', 'events.json of the run (without it: no phases beyond baseline, no transitions)')
    .requiredOption('--out <dir>', 'folder for summary.json and latency.hlog')
    .option('--scenario <file>', 'scenario (.ts/.js) or scenario.json with the SLOs (default: scenario.json beside the samples, if any)')
    .option('--engine <name>', 'engine that wrote the samples, recorded in the summary', 'k6')
    .action(async (samples: string[], opts: { events?: string; out: string; scenario?: string; engine: string }) => {
      const beside = join(dirname(samples[0]!), 'scenario.json');
      const scenarioFile = opts.scenario ?? (existsSync(beside) ? beside : undefined);
      const scenario = scenarioFile ? await readScenarioInfo(scenarioFile) : undefined;
      const result = await analyzeRun({
        samplesFile: samples,
        ...(opts.events ? { eventsFile: opts.events } : {}),
        ...(scenario ? { scenario } : {}),
        engine: { name: opts.engine },
        versions: versions(),
      });
      const written = await writeAnalysis(opts.out, result);
      const reports = await writeReports(result.summary, opts.out); // report.md, report.html, junit.xml beside summary.json
      process.stdout.write(formatTable(result.summary));
      for (const w of result.summary.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(`wrote ${written.summaryFile}\nwrote ${written.hlogFile}\n`);
      for (const path of reports) process.stdout.write(`wrote ${path}\n`);
      if (result.summary.verdict === 'fail') process.exitCode = 1;
    });
}

function versions(): Record<string, string> {
  const read = (url: URL) => (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  return {
    faultline: read(PACKAGE),
    'hdr-histogram-js': read(new URL('../../../node_modules/hdr-histogram-js/package.json', import.meta.url)),
    node: process.version,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const ms = (x: number | null) => (x === null ? 'never' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 2 : 0)} ms`);

/** The short table a person reads after `faultline analyze`. */
export function formatTable(s: Summary): string {
  const lines = [
    `${s.scenario.name}: ${s.load.requests} requests, ${s.load.dropped} dropped, ${(s.durationMs / 1000).toFixed(1)} s, ` +
      `${s.load.achievedRate.toFixed(1)} req/s${s.load.targetRate ? ` (asked ${s.load.targetRate})` : ''}`,
    '',
    row(['phase', 'requests', 'errors', 'dropped', 'err%', 'p50', 'p95', 'p99', 'max']),
  ];
  for (const p of [{ ...s.overall, name: 'overall' }, ...s.phases]) {
    lines.push(row([p.name, String(p.requests), String(p.errors), String(p.dropped), pct(p.errorRate), ms(p.p50), ms(p.p95), ms(p.p99), ms(p.max)]));
  }
  if (s.transitions.length > 0) {
    lines.push('', row(['transition', 'at', 'err%', 'settle', 'recovery', 'skew']));
    for (const t of s.transitions) {
      lines.push(row([`${t.edge} ${t.proxy}:${t.type}`, ms(t.atMs), pct(t.errorRate), ms(t.settleTimeMs), t.edge === 'off' ? ms(t.recoveryTimeMs) : '-', t.skewMs === null ? '-' : ms(t.skewMs)]));
    }
  }
  if (s.slo.length > 0) {
    lines.push('');
    for (const r of s.slo) lines.push(`${r.pass ? 'PASS' : 'FAIL'}  ${r.measure} ${r.condition}  observed ${r.observed === null ? 'none' : Number(r.observed.toPrecision(4))}${r.note ? ` (${r.note})` : ''}`);
  }
  lines.push('', `verdict: ${s.verdict}`, '');
  return lines.join('\n');
}

function row(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(22) : c.padStart(10))).join('');
}

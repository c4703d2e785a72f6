import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { analyzeRun, readScenarioInfo, writeAnalysis, type InputReport } from '../../analysis/index.ts';
import { InvalidInputError } from '../../errors.ts';
import { formatSummaryTable, writeReports } from '../../report/index.ts';
import { FAULTLINE_VERSION } from '../../run/versions.ts';
import { VITALS_FILE } from '../../vitals/index.ts';
import { EXIT } from '../exit-codes.ts';
import { folder } from '../option-parsers.ts';

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('compute summary.json and latency.hlog from a run\'s samples and events; exit 1 when an SLO fails')
    .argument('<samples...>', 'k6 --out json or --out csv samples, plain or gzip (several files, e.g. one per k6 machine, are merged); or a run folder: its samples.json.gz, with its events.json')
    .option('--events <file>', 'events.json of the run (without it: no phases beyond baseline, no transitions)')
    .option('--vitals <file>', "the watched processes' vitals.json (default: vitals.json beside the samples, if any)")
    .requiredOption('--out <dir>', 'folder for summary.json and latency.hlog', folder('--out'))
    .option('--scenario <file>', 'scenario (.ts/.js) or scenario.json with the SLOs (default: scenario.json beside the samples, if any)')
    .option('--engine <name>', 'engine that wrote the samples, recorded in the summary', 'k6')
    .action(async (given: string[], opts: { events?: string; vitals?: string; out: string; scenario?: string; engine: string }) => {
      const { samples, events } = runFolderInput(given, opts.events);
      const beside = (name: string) => (existsSync(join(dirname(samples[0]!), name)) ? join(dirname(samples[0]!), name) : undefined);
      const scenarioFile = opts.scenario ?? beside('scenario.json');
      const scenario = scenarioFile ? await readScenarioInfo(scenarioFile) : undefined;
      const vitalsFile = opts.vitals ?? beside(VITALS_FILE);
      const result = await analyzeRun({
        samplesFile: samples,
        ...(events ? { eventsFile: events } : {}),
        ...(vitalsFile ? { vitalsFile } : {}),
        ...(scenario ? { scenario } : {}),
        engine: { name: opts.engine },
        versions: versions(),
      });
      const notK6 = result.state.inputs.find(hasNoK6Sample);
      if (notK6) {
        const expected = `k6 --out json or --out csv output (none of its ${notK6.lines} line(s) is a k6 sample)`;
        throw new InvalidInputError(`no k6 samples in ${notK6.file}`, [{ path: notK6.file, expected }]);
      }
      const written = await writeAnalysis(opts.out, result);
      const reports = await writeReports(result.summary, opts.out); // report.md, report.html, junit.xml beside summary.json
      process.stdout.write(formatSummaryTable(result.summary));
      for (const w of result.summary.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(`wrote ${written.summaryFile}\nwrote ${written.hlogFile}\n`);
      for (const path of reports) process.stdout.write(`wrote ${path}\n`);
      if (result.summary.verdict === 'fail') process.exitCode = EXIT.failed;
    });
}

/** A run folder given alone stands for its samples.json.gz, and its events.json unless --events names another. */
function runFolderInput(given: string[], events: string | undefined): { samples: string[]; events: string | undefined } {
  const dir = given.length === 1 && statSync(given[0]!, { throwIfNoEntry: false })?.isDirectory() ? given[0]! : null;
  if (dir === null) return { samples: given, events };
  const recorded = join(dir, 'events.json');
  return { samples: [join(dir, 'samples.json.gz')], events: events ?? (existsSync(recorded) ? recorded : undefined) };
}

/**
 * A file in which the reader could use no line at all: not k6 output (a summary.json, a
 * k6 --summary-export, other JSON), where every line is skipped and the run would read as
 * 0 requests and a pass. k6 output that holds no request (only Metric lines) is not this.
 */
function hasNoK6Sample(input: InputReport): boolean {
  return input.requests === 0 && input.problemCount > 0 && input.problemCount >= input.lines;
}

function versions(): Record<string, string> {
  const read = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  return {
    faultline: FAULTLINE_VERSION,
    'hdr-histogram-js': read(createRequire(import.meta.url).resolve('hdr-histogram-js/package.json')),
    node: process.version,
  };
}

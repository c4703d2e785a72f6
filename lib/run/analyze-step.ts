import { existsSync } from 'node:fs';
import { analyzeRun, writeAnalysis, type Summary } from '../analysis/index.ts';
import { compareRuns, formatComparison, toComparableRun, writeReports, type ComparableRun, type Comparison } from '../report/index.ts';
import type { RunOutcome } from './run.ts';
import { FAULTLINE_VERSION } from './versions.ts';

export interface RunAnalysis {
  summary: Summary;
  /** Files written into the run folder (summary.json, latency.hlog, reports). */
  written: string[];
  comparison: Comparison | null;
  comparisonText: string | null;
}

/** The end of a run: analysis of what was measured, the reports, and the baseline verdict. */
export async function analyzeRunOutcome(run: RunOutcome, baseline?: { file: string; run: ComparableRun }): Promise<RunAnalysis> {
  const result = await analyzeRun({
    samplesFile: run.folder.samplesFile,
    events: run.events,
    ...(existsSync(run.folder.vitalsFile) ? { vitalsFile: run.folder.vitalsFile } : {}),
    scenario: run.scenario,
    engine: { name: run.engine },
    versions: { faultline: FAULTLINE_VERSION, node: process.version },
  });
  const { summary } = result;
  summary.warnings.push(...run.warnings);
  if (run.stoppedBy) summary.warnings.push(`the run stopped early: ${run.stoppedBy.reason}`);
  const { summaryFile, hlogFile } = await writeAnalysis(run.folder.dir, result);
  const reports = await writeReports(summary, run.folder.dir);
  let comparison: Comparison | null = null;
  let comparisonText: string | null = null;
  if (baseline) {
    comparison = compareRuns(toComparableRun(summary, summaryFile), baseline.run);
    comparisonText = formatComparison(comparison, { now: summaryFile, baseline: baseline.file });
  }
  return { summary, written: [summaryFile, hlogFile, ...reports], comparison, comparisonText };
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Summary } from '../analysis/summary.ts';
import type { ReportFormat } from './format-types.ts';
import { htmlReport } from './html.ts';
import { junitReport } from './junit.ts';
import { markdownReport } from './markdown.ts';

// lib/report: what people and CI see of a run (report.md, report.html, junit.xml) and the
// comparison of a run with a baseline. It reads a Summary and never reaches back to analysis.

/** Every report format, by the file it writes in the run folder. Adding one adds a line. */
export const REPORT_FORMATS: Readonly<Record<string, ReportFormat>> = {
  'report.md': markdownReport,
  'report.html': htmlReport,
  'junit.xml': junitReport,
};

/** Renders every format into `outDir` (created if missing); returns the paths written. */
export async function writeReports(summary: Summary, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [file, format] of Object.entries(REPORT_FORMATS)) {
    const path = join(outDir, file);
    await writeFile(path, await format.render(summary));
    written.push(path);
  }
  return written;
}

export type { ReportFormat } from './format-types.ts';
export { compareRuns, type CompareOptions, type Comparison, type ComparisonRow, type RowVerdict } from './compare.ts';
export { formatComparison } from './compare-table.ts';
export { DEFAULT_TOLERANCES, parseTolerances, type Tolerance, type ToleranceKey, type Tolerances } from './tolerance.ts';
export { mannWhitneyGreater, mannWhitneyLess, type MannWhitneyResult } from './mann-whitney.ts';
export { readComparableRun, toComparableRun, type ComparableRun } from './summary-input.ts';
export { defaultBaselinePath, makeBaseline, writeBaseline, type BaselineFile } from './baseline.ts';
export { formatSummaryTable } from './summary-table.ts';
export { fmtSettle } from './format.ts';

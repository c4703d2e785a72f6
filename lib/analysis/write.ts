import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisResult } from './analyze.ts';

export const SUMMARY_FILE = 'summary.json';
export const HLOG_FILE = 'latency.hlog';

/** Writes summary.json and latency.hlog into `outDir` (created if needed); returns their paths. */
export async function writeAnalysis(outDir: string, result: Pick<AnalysisResult, 'summary' | 'hlog'>): Promise<{ summaryFile: string; hlogFile: string }> {
  await mkdir(outDir, { recursive: true });
  const summaryFile = join(outDir, SUMMARY_FILE);
  const hlogFile = join(outDir, HLOG_FILE);
  await writeFile(summaryFile, `${JSON.stringify(result.summary, null, 2)}\n`);
  await writeFile(hlogFile, result.hlog);
  return { summaryFile, hlogFile };
}

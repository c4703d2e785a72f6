import type { Summary } from '../analysis/summary.ts';

/** One report format: a file in the run folder rendered from the summary alone. */
export interface ReportFormat {
  /** What the file is, for `--help` texts and logs. */
  description: string;
  render(summary: Summary): string | Promise<string>;
}

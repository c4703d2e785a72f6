import type { AnalysisState } from './state.ts';

// What a reader of the summary must know about the data before trusting the figures.

const LISTED_PROBLEMS = 5;

export function coverageWarnings(state: AnalysisState): string[] {
  const out: string[] = [];
  for (const input of state.inputs) {
    if (input.problemCount > 0) {
      const listed = input.problems.slice(0, LISTED_PROBLEMS).map((p) => `line ${p.line}: ${p.reason}`).join('; ');
      const more = input.problemCount > LISTED_PROBLEMS ? `; and ${input.problemCount - LISTED_PROBLEMS} more` : '';
      out.push(`${input.file}: skipped ${input.problemCount} unreadable line(s) (${listed}${more})`);
    }
    if (input.streamError) out.push(`${input.file}: ${input.streamError}`);
    if (input.wholeSecondTimes && input.requests > 0) {
      out.push(
        `${input.file}: timestamps have whole-second resolution (k6 --out csv default): too coarse for the ` +
          `${state.params.fineWindowMs} ms transition windows and settle times (each request is placed at the middle ` +
          'of its second); record with K6_CSV_TIME_FORMAT=rfc3339_nano, or use --out json',
      );
    }
  }
  if (state.events?.complete === false) {
    out.push('the run was cut short: events.json is not final (complete: false, as a run killed or stopped by a power loss leaves it); ' +
      'it holds the fault calls made until its last update; a fault still on then has no "off" event, so its phase runs to the end of the samples');
  }
  if (!state.t0FromEvents) {
    const t0 = state.inputs.length > 1 ? 'the earliest request sent in any samples file' : 'the send time of the first request read';
    out.push(`no events file: t0 is ${t0}; no phases beyond baseline, no transitions`);
  }
  if (state.overall.requests === 0) out.push('no HTTP requests in the samples');
  if (state.overall.dropped > 0) {
    out.push(`${state.overall.dropped} iteration(s) dropped (the engine had no free VU to start them): counted as failures in every error rate`);
  }
  return out;
}

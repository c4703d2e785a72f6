import { HistogramLogWriter } from 'hdr-histogram-js';
import { decodeHistogram } from '../hdr/index.ts';
import type { AnalysisState } from './state.ts';

// latency.hlog: the per-second windows in HdrHistogram's standard interval log format
// (version 1.3), readable by HistogramLogReader / HistogramLogProcessor. Values are
// http_req_duration in MICROSECONDS; each interval is one second of SEND time, its
// timestamp relative to the StartTime comment (t0). Logs of several k6 machines with the
// same t0 add up interval by interval into the whole run's histograms.

export function formatHlog(state: AnalysisState): string {
  const parts: string[] = [];
  const writer = new HistogramLogWriter((text) => parts.push(text));
  writer.outputLogFormatVersion();
  writer.outputStartTime(state.t0Ms);
  writer.outputComment('faultline: http_req_duration in microseconds per window of send time; Interval_Max in milliseconds');
  writer.outputLegend();
  const widthSec = state.params.seriesWindowMs / 1000;
  const indexes = Object.keys(state.seconds).map(Number).sort((a, b) => a - b);
  for (const k of indexes) {
    const histogram = decodeHistogram(state.seconds[String(k)]!.histogram);
    writer.outputIntervalHistogram(histogram, k * widthSec, (k + 1) * widthSec, 1000);
  }
  return parts.join('');
}

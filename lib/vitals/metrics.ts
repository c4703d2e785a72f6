// vitals.json: a run's vital signs of its dependencies, in k6's `--out json` format (the
// format lib/analysis reads and k6 tools know): a `Metric` declaration per metric, then one
// `Point` line per value, tagged with the process's scenario name (and its pid when found).

/** The file in the run folder (plain JSON lines: a few per second, not worth gzip). */
export const VITALS_FILE = 'vitals.json';

/** A run samples once a second; analysis counts each sample that did not find a process as one interval down. */
export const VITALS_INTERVAL_MS = 1000;

/** CPU share over the interval since the previous sample, in cores: 1 = one core busy all the time. */
export const PROCESS_CPU_METRIC = 'faultline_process_cpu';
/** Resident set size (VmRSS), in bytes. */
export const PROCESS_RSS_METRIC = 'faultline_process_rss';
/** 1 when the process was found at the sample, 0 when it was gone (stopped, restarting). */
export const PROCESS_UP_METRIC = 'faultline_process_up';

export const VITALS_METRICS = [PROCESS_CPU_METRIC, PROCESS_RSS_METRIC, PROCESS_UP_METRIC] as const;
export type VitalsMetric = (typeof VITALS_METRICS)[number];

/** k6's `contains`: what a value is (bytes are `data`). */
const CONTAINS: Record<VitalsMetric, 'default' | 'data'> = {
  [PROCESS_CPU_METRIC]: 'default',
  [PROCESS_RSS_METRIC]: 'data',
  [PROCESS_UP_METRIC]: 'default',
};

/** The `Metric` lines that open the file, as k6 writes them (every vitals metric is a gauge). */
export function declarationLines(): string {
  return VITALS_METRICS.map((name) =>
    `{"type":"Metric","data":{"name":"${name}","type":"gauge","contains":"${CONTAINS[name]}","thresholds":[],"submetrics":null},"metric":"${name}"}\n`).join('');
}

/** One `Point` line; tags are written with sorted keys, as k6 does. */
export function pointLine(metric: VitalsMetric, atMs: number, value: number, tags: Record<string, string>): string {
  const sorted = Object.keys(tags).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(tags[k])}`).join(',');
  return `{"metric":"${metric}","type":"Point","data":{"time":"${new Date(atMs).toISOString()}","value":${value},"tags":{${sorted}}}}\n`;
}

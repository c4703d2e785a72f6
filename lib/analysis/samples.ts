// What the sample readers hand to the analysis: one call per HTTP request, one per
// dropped-iteration point. Plain numbers only, so the per-line loop allocates nothing here.

export interface SampleSink {
  /**
   * One HTTP request.
   * @param sendMs epoch ms the request was SENT: k6's end-time stamp minus
   *   `http_req_duration` minus `http_req_blocked` (see readers/request-group.ts)
   * @param endMs epoch ms it ended (k6's stamp)
   * @param durationMs `http_req_duration`
   * @param failed `http_req_failed` = 1
   * @param tagMask bit i set when the request matches tag filter i (SLOs like `{name:verify}`)
   */
  request(sendMs: number, endMs: number, durationMs: number, failed: boolean, tagMask: number): void;
  /** `dropped_iterations` points: iterations the engine could not start, at `atMs` (epoch ms). */
  dropped(atMs: number, count: number): void;
}

/** A k6 tag filter as written in an SLO measure: `http_req_duration{name:verify,method:POST}`. */
export interface TagFilter {
  /** The text between the braces, e.g. `name:verify`: the filter's identity. */
  key: string;
  tags: Array<[name: string, value: string]>;
}

/** Parses `metric{k:v,k2:v2}` into the metric and its tag filter (undefined without braces). */
export function parseMetricFilter(measure: string): { metric: string; filter: TagFilter | undefined } {
  const open = measure.indexOf('{');
  if (open < 0 || !measure.endsWith('}')) return { metric: measure, filter: undefined };
  const key = measure.slice(open + 1, -1).trim();
  const tags = key.split(',').map((pair): [string, string] => {
    const colon = pair.indexOf(':');
    return [pair.slice(0, colon).trim(), pair.slice(colon + 1).trim()];
  });
  return { metric: measure.slice(0, open), filter: { key, tags } };
}

// k6's tag filter on a metric, as written in an SLO measure: `http_req_duration{name:verify,method:POST}`.
// Read by the built-in engine (the submetrics of its k6 JSON output) and by the analysis (which
// requests an SLO counts); it imports nothing, so either may use it.

export interface TagFilter {
  /** The text between the braces, trimmed, e.g. `name:verify`: the filter's identity. */
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

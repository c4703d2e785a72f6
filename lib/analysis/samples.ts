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

/** The tag filters the readers match requests against (`{name:verify}`), parsed in lib/scenario/metric-filter.ts. */
export type { TagFilter } from '../scenario/metric-filter.ts';

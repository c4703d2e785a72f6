import type { RequestError } from './error-codes.ts';

// What the engine emits. Executors and the iteration runner hand records to a SampleOutput;
// they never format, print or aggregate them. One record per completed iteration carries
// every per-request and per-iteration measure (the output turns it into k6's metric points),
// so the hot path fills one reused object instead of building a sample per metric.

/** One iteration = one HTTP request, completed (response or error). Times are epoch ms, durations ms. */
export interface RequestSample {
  /** When the request ended: k6 stamps every point of a request with its end. */
  endMs: number;
  /** Index into the scenario's requests (name, method). */
  requestIndex: number;
  /** HTTP status; 0 when there was no response. */
  status: number;
  /** The failure when there was no response; null otherwise. */
  error: RequestError | null;
  /** k6's `expected_response`: the status is one the request expects (default 200-399). */
  expected: boolean;
  /** k6's phases: blocked (waiting for a connection, connecting included), connecting, tls, sending, waiting (to first byte), receiving. */
  blockedMs: number;
  connectingMs: number;
  sendingMs: number;
  waitingMs: number;
  receivingMs: number;
  /** k6's http_req_duration: sending + waiting + receiving. */
  durationMs: number;
  /** End minus the time the iteration was due (not when it started): no coordinated omission. */
  intendedMs: number;
  /** k6's iteration_duration: end minus the iteration's actual start. */
  iterationMs: number;
  bytesSent: number;
  bytesReceived: number;
  /** The `<name> status` check: the status was expected. */
  statusCheck: boolean;
  /** The `<name> check` (the request's own expect.check); null when it has none. */
  userCheck: boolean | null;
}

/** Where the engine's samples go: K6JsonOutput writes them as k6's JSON lines. */
export interface SampleOutput {
  /** The record is reused after the call returns: copy what you keep. */
  request(s: RequestSample): void;
  /** An iteration was due at `atMs` but every VU was busy. */
  dropped(atMs: number): void;
  /** Once a second: VUs busy, VUs allocated, and the scheduler's largest lag (ms) in the second. */
  gauges(atMs: number, vus: number, vusMax: number, lagMaxMs: number): void;
  /**
   * Once a second: makes what was recorded so far readable in the file (and durable), so a
   * run killed or cut off by a power loss keeps its samples up to about the last second.
   */
  flush(): void;
  /** Writes out everything buffered; the file is complete when this settles. */
  close(): Promise<void>;
}

/** The metrics faultline adds to k6's, each defined once here. */
export const INTENDED_LATENCY_METRIC = 'faultline_intended_latency';
export const SCHEDULER_LAG_METRIC = 'faultline_scheduler_lag_max';

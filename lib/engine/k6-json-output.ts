import { parseMetricFilter } from '../scenario/metric-filter.ts';
import type { RequestError } from './error-codes.ts';
import { statusErrorCode } from './error-codes.ts';
import type { ChunkWriter } from './chunk-writer.ts';
import { writeMillis, writeRfc3339Nano, writeUint } from './ascii.ts';
import { INTENDED_LATENCY_METRIC, SCHEDULER_LAG_METRIC, type RequestSample, type SampleOutput } from './samples.ts';

// k6's `--out json` format, so one reader serves both engines and k6 tools read faultline's
// samples: a `Metric` line the first time a metric appears, then one `Point` line per
// value, every point of a request stamped with the request's end, tags as k6 writes them
// (keys sorted; `url` is the request's name, as k6 sets it when a `name` tag is given).
// Lines are written as bytes straight into the chunk that goes to the file, from cached
// pieces: a string (or JSON.stringify) per value would be most of the engine's work and
// garbage at high rates.

export interface OutputCatalogue {
  /** k6's `scenario` tag. */
  scenario: string;
  requests: { name: string; method: string; hasCheck: boolean }[];
  /** The run's k6 thresholds, by measure (on the Metric lines, a tagged one as a submetric). */
  thresholds?: Record<string, string[]>;
}

type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
type Contains = 'default' | 'time' | 'data';

const METRIC_KINDS: [string, MetricType, Contains][] = [
  ['http_reqs', 'counter', 'default'], ['http_req_duration', 'trend', 'time'], ['http_req_blocked', 'trend', 'time'],
  ['http_req_connecting', 'trend', 'time'], ['http_req_tls_handshaking', 'trend', 'time'], ['http_req_sending', 'trend', 'time'],
  ['http_req_waiting', 'trend', 'time'], ['http_req_receiving', 'trend', 'time'], ['http_req_failed', 'rate', 'default'],
  [INTENDED_LATENCY_METRIC, 'trend', 'time'], ['checks', 'rate', 'default'], ['data_sent', 'counter', 'data'],
  ['data_received', 'counter', 'data'], ['iteration_duration', 'trend', 'time'], ['iterations', 'counter', 'default'],
  ['dropped_iterations', 'counter', 'default'], ['vus', 'gauge', 'default'], ['vus_max', 'gauge', 'default'],
  [SCHEDULER_LAG_METRIC, 'gauge', 'time'],
];

const q = (s: string) => JSON.stringify(s);
const bytes = (s: string) => Buffer.from(s, 'utf8');

/** Between a point's time and its value. */
const VALUE = bytes('","value":');
/** Chunks handed to the writer; a chunk is sent once it has less room than one request needs. */
const CHUNK_BYTES = 256 * 1024;

interface Metric {
  declaration: Buffer;
  declared: boolean;
  /** Everything of a Point line before the time. */
  prefix: Buffer;
}

/** Everything of a Point line after the value: `,"tags":{...}}}` and the newline. */
type Tail = Buffer;
const tail = (tags: string): Tail => bytes(`,"tags":${tags}}}\n`);

export class K6JsonOutput implements SampleOutput {
  private readonly m: Record<string, Metric> = {};
  private readonly iterationTail: Tail;
  private readonly scenarioTail: Tail;
  private readonly emptyTail = tail('{}');
  private readonly checkTails: { status: Tail; check: Tail }[];
  /** Per request: tails by status (no error), and by error. */
  private readonly statusTails: Map<number, Tail>[];
  private readonly errorTails: Map<RequestError, Tail>[];
  private chunk: Buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  /** Chunks the writer is done with, for reuse. */
  private readonly spare: Buffer[] = [];
  private pos = 0;
  /** Length of the time written last. */
  private timeLength = 0;
  /** Bytes one request can take at most: declarations, 16 points, each with the longest tail. */
  private requestBytes = 0;
  private longestTail = 0;
  private readonly declarationBytes: number;

  constructor(private readonly out: ChunkWriter, private readonly catalogue: OutputCatalogue) {
    const { thresholds, submetrics } = metricThresholds(catalogue.thresholds ?? {});
    let declarationBytes = 0;
    for (const [name, type, contains] of METRIC_KINDS) {
      const data = `{"name":${q(name)},"type":"${type}","contains":"${contains}","thresholds":${JSON.stringify(thresholds[name] ?? [])},"submetrics":${submetrics[name] ? JSON.stringify(submetrics[name]) : 'null'}}`;
      const declaration = bytes(`{"type":"Metric","data":${data},"metric":${q(name)}}\n`);
      declarationBytes += declaration.length;
      this.m[name] = { declared: false, declaration, prefix: bytes(`{"metric":${q(name)},"type":"Point","data":{"time":"`) };
    }
    this.declarationBytes = declarationBytes;
    const s = q(catalogue.scenario);
    this.iterationTail = this.tail(`{"group":"","scenario":${s}}`);
    this.scenarioTail = this.tail(`{"scenario":${s}}`);
    this.checkTails = catalogue.requests.map((r) => ({
      status: this.tail(`{"check":${q(`${r.name} status`)},"group":"","scenario":${s}}`),
      check: this.tail(`{"check":${q(`${r.name} check`)},"group":"","scenario":${s}}`),
    }));
    this.statusTails = catalogue.requests.map(() => new Map());
    this.errorTails = catalogue.requests.map(() => new Map());
  }

  request(s: RequestSample): void {
    const tags = this.httpTail(s);
    const checks = this.checkTails[s.requestIndex]!;
    this.makeRoom();
    // The time is written once; the other points of the request copy it.
    const time = this.point('http_reqs', s.endMs, -1);
    this.uint(1, tags);
    this.point('http_req_duration', s.endMs, time);
    this.millis(s.durationMs, tags);
    this.point('http_req_blocked', s.endMs, time);
    this.millis(s.blockedMs, tags);
    this.point('http_req_connecting', s.endMs, time);
    this.millis(s.connectingMs, tags);
    this.point('http_req_tls_handshaking', s.endMs, time);
    this.uint(0, tags);
    this.point('http_req_sending', s.endMs, time);
    this.millis(s.sendingMs, tags);
    this.point('http_req_waiting', s.endMs, time);
    this.millis(s.waitingMs, tags);
    this.point('http_req_receiving', s.endMs, time);
    this.millis(s.receivingMs, tags);
    this.point('http_req_failed', s.endMs, time);
    this.uint(s.expected ? 0 : 1, tags);
    this.point(INTENDED_LATENCY_METRIC, s.endMs, time);
    this.millis(s.intendedMs, tags);
    this.point('checks', s.endMs, time);
    this.uint(s.statusCheck ? 1 : 0, checks.status);
    if (s.userCheck !== null) {
      this.point('checks', s.endMs, time);
      this.uint(s.userCheck ? 1 : 0, checks.check);
    }
    this.point('data_sent', s.endMs, time);
    this.uint(s.bytesSent, this.iterationTail);
    this.point('data_received', s.endMs, time);
    this.uint(s.bytesReceived, this.iterationTail);
    this.point('iteration_duration', s.endMs, time);
    this.millis(s.iterationMs, this.iterationTail);
    this.point('iterations', s.endMs, time);
    this.uint(1, this.iterationTail);
  }

  dropped(atMs: number): void {
    this.makeRoom();
    this.point('dropped_iterations', atMs, -1);
    this.uint(1, this.scenarioTail);
  }

  gauges(atMs: number, vus: number, vusMax: number, lagMaxMs: number): void {
    this.makeRoom();
    const time = this.point('vus', atMs, -1);
    this.uint(vus, this.emptyTail);
    this.point('vus_max', atMs, time);
    this.uint(vusMax, this.emptyTail);
    this.point(SCHEDULER_LAG_METRIC, atMs, time);
    this.millis(lagMaxMs, this.scenarioTail);
  }

  flush(): void {
    this.send();
    this.out.sync();
  }

  close(): Promise<void> {
    this.send();
    return this.out.close();
  }

  /**
   * Writes a Point line up to and including `"value":` (after the metric's Metric line if
   * it is the first). The time is `epochMs`, or copied from `timeAt` in this chunk when it
   * is not -1. Returns where the time starts, for the next points of the same request.
   */
  private point(name: string, epochMs: number, timeAt: number): number {
    const m = this.m[name]!;
    const buf = this.chunk;
    if (!m.declared) {
      m.declared = true;
      buf.set(m.declaration, this.pos);
      this.pos += m.declaration.length;
    }
    buf.set(m.prefix, this.pos);
    let pos = this.pos + m.prefix.length;
    const start = pos;
    if (timeAt < 0) {
      pos = writeRfc3339Nano(buf, pos, epochMs);
      this.timeLength = pos - start;
    } else {
      buf.copyWithin(pos, timeAt, timeAt + this.timeLength);
      pos += this.timeLength;
    }
    buf.set(VALUE, pos);
    this.pos = pos + VALUE.length;
    return start;
  }

  private uint(value: number, tail: Tail): void {
    this.pos = writeUint(this.chunk, this.pos, value);
    this.chunk.set(tail, this.pos);
    this.pos += tail.length;
  }

  private millis(value: number, tail: Tail): void {
    this.pos = writeMillis(this.chunk, this.pos, value);
    this.chunk.set(tail, this.pos);
    this.pos += tail.length;
  }

  /** Sends the chunk when one more request might not fit. */
  private makeRoom(): void {
    if (this.pos + this.requestBytes > this.chunk.length) this.send();
  }

  private send(): void {
    if (this.pos === 0) return;
    const full = this.chunk;
    this.out.write(full.subarray(0, this.pos), () => this.spare.push(full));
    let next = this.spare.pop();
    // A chunk too small for the longest request (tags grew) is let go.
    while (next && next.length < this.requestBytes) next = this.spare.pop();
    this.chunk = next ?? Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, 2 * this.requestBytes));
    this.pos = 0;
  }

  /** A tail, remembered in the room a request needs (times: at most 30 bytes; values: 24). */
  private tail(tags: string): Tail {
    const t = tail(tags);
    if (t.length > this.longestTail) {
      this.longestTail = t.length;
      let longestPrefix = 0;
      for (const m of Object.values(this.m)) longestPrefix = Math.max(longestPrefix, m.prefix.length);
      this.requestBytes = this.declarationBytes + 16 * (longestPrefix + 30 + VALUE.length + 24 + t.length);
    }
    return t;
  }

  private httpTail(s: RequestSample): Tail {
    const i = s.requestIndex;
    if (s.error) {
      const byError = this.errorTails[i]!;
      let t = byError.get(s.error);
      if (t === undefined) byError.set(s.error, (t = this.tail(this.buildTags(i, 0, s.error, false))));
      return t;
    }
    // The expected flag follows from the status for a given request, so the status is the key.
    const byStatus = this.statusTails[i]!;
    let t = byStatus.get(s.status);
    if (t === undefined) byStatus.set(s.status, (t = this.tail(this.buildTags(i, s.status, null, s.expected))));
    return t;
  }

  private buildTags(i: number, status: number, error: RequestError | null, expected: boolean): string {
    const r = this.catalogue.requests[i]!;
    const code = error ? error.code : statusErrorCode(status);
    const tags: Record<string, string> = {};
    if (error) tags.error = error.message;
    if (code) tags.error_code = String(code);
    Object.assign(tags, { expected_response: String(expected), group: '', method: r.method, name: r.name });
    if (!error) tags.proto = 'HTTP/1.1';
    Object.assign(tags, { scenario: this.catalogue.scenario, status: String(status), url: r.name });
    return JSON.stringify(tags);
  }
}

/** k6 lists a metric's thresholds, and one submetric per tagged threshold (plus expected_response for durations). */
function metricThresholds(given: Record<string, string[]>) {
  const thresholds: Record<string, string[]> = {};
  const submetrics: Record<string, { name: string; suffix: string; tags: Record<string, string> }[]> = {};
  /** Adds `measure`'s submetric when it has a tag filter; false when it is a plain metric. */
  const addSub = (measure: string): boolean => {
    const { metric, filter } = parseMetricFilter(measure);
    if (!filter) return false;
    const list = (submetrics[metric] ??= []);
    if (!list.some((x) => x.name === measure)) list.push({ name: measure, suffix: filter.key, tags: Object.fromEntries(filter.tags) });
    return true;
  };
  for (const [measure, conditions] of Object.entries(given)) {
    if (!addSub(measure)) thresholds[measure] = conditions;
  }
  addSub('http_req_duration{expected_response:true}');
  return { thresholds, submetrics };
}

import { k6Thresholds } from '../k6/runtime/options.ts';
import type { RequestError } from './error-codes.ts';
import { statusErrorCode } from './error-codes.ts';
import type { LineWriter } from './line-writer.ts';
import { rfc3339Nano } from './rfc3339.ts';
import { INTENDED_LATENCY_METRIC, SCHEDULER_LAG_METRIC, type RequestSample, type SampleSink } from './samples.ts';

// k6's `--out json` format, so one reader serves both engines and k6 tools read faultline's
// samples: a `Metric` line the first time a metric appears, then one `Point` line per
// value, every point of a request stamped with the request's end, tags as k6 writes them
// (keys sorted; `url` is the request's name, as k6 sets it when a `name` tag is given).
// Lines are built by hand from cached pieces: JSON.stringify per sample would dominate.

export interface OutputCatalogue {
  /** k6's `scenario` tag. */
  scenario: string;
  requests: { name: string; method: string; hasCheck: boolean }[];
  /** The scenario's SLOs as written (thresholds and submetrics on the Metric lines). */
  slo?: Record<string, string | string[]>;
}

type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
type Contains = 'default' | 'time' | 'data';

interface Metric {
  name: string;
  declaration: string;
  declared: boolean;
  /** Everything of a Point line before the time. */
  prefix: string;
}

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
/** Milliseconds to at most nanosecond decimals, the precision k6 writes. */
const num = (v: number) => String(Math.round(v * 1e6) / 1e6);

export class K6JsonOutput implements SampleSink {
  private readonly m: Record<string, Metric> = {};
  private readonly iterationTags: string;
  private readonly scenarioTags: string;
  private readonly checkTags: { status: string; check: string }[];
  /** Per request: tags by status (no error), and by error. */
  private readonly statusTags: Map<number, string>[];
  private readonly errorTags: Map<RequestError, string>[];

  constructor(private readonly out: LineWriter, private readonly catalogue: OutputCatalogue) {
    const { thresholds, submetrics } = fromSlo(catalogue.slo ?? {});
    for (const [name, type, contains] of METRIC_KINDS) {
      const data = `{"name":${q(name)},"type":"${type}","contains":"${contains}","thresholds":${JSON.stringify(thresholds[name] ?? [])},"submetrics":${submetrics[name] ? JSON.stringify(submetrics[name]) : 'null'}}`;
      this.m[name] = { name, declared: false, declaration: `{"type":"Metric","data":${data},"metric":${q(name)}}\n`, prefix: `{"metric":${q(name)},"type":"Point","data":{"time":"` };
    }
    const s = q(catalogue.scenario);
    this.iterationTags = `{"group":"","scenario":${s}}`;
    this.scenarioTags = `{"scenario":${s}}`;
    this.checkTags = catalogue.requests.map((r) => ({
      status: `{"check":${q(`${r.name} status`)},"group":"","scenario":${s}}`,
      check: `{"check":${q(`${r.name} check`)},"group":"","scenario":${s}}`,
    }));
    this.statusTags = catalogue.requests.map(() => new Map());
    this.errorTags = catalogue.requests.map(() => new Map());
  }

  request(s: RequestSample): void {
    const t = rfc3339Nano(s.endMs);
    const tags = this.httpTags(s);
    const checks = this.checkTags[s.requestIndex]!;
    let out = this.point('http_reqs', t, '1', tags);
    out += this.point('http_req_duration', t, num(s.durationMs), tags);
    out += this.point('http_req_blocked', t, num(s.blockedMs), tags);
    out += this.point('http_req_connecting', t, num(s.connectingMs), tags);
    out += this.point('http_req_tls_handshaking', t, '0', tags);
    out += this.point('http_req_sending', t, num(s.sendingMs), tags);
    out += this.point('http_req_waiting', t, num(s.waitingMs), tags);
    out += this.point('http_req_receiving', t, num(s.receivingMs), tags);
    out += this.point('http_req_failed', t, s.expected ? '0' : '1', tags);
    out += this.point(INTENDED_LATENCY_METRIC, t, num(s.intendedMs), tags);
    out += this.point('checks', t, s.statusCheck ? '1' : '0', checks.status);
    if (s.userCheck !== null) out += this.point('checks', t, s.userCheck ? '1' : '0', checks.check);
    out += this.point('data_sent', t, String(s.bytesSent), this.iterationTags);
    out += this.point('data_received', t, String(s.bytesReceived), this.iterationTags);
    out += this.point('iteration_duration', t, num(s.iterationMs), this.iterationTags);
    out += this.point('iterations', t, '1', this.iterationTags);
    this.out.write(out);
  }

  dropped(atMs: number): void {
    this.out.write(this.point('dropped_iterations', rfc3339Nano(atMs), '1', this.scenarioTags));
  }

  gauges(atMs: number, vus: number, vusMax: number, lagMaxMs: number): void {
    const t = rfc3339Nano(atMs);
    this.out.write(this.point('vus', t, String(vus), '{}') + this.point('vus_max', t, String(vusMax), '{}') +
      this.point(SCHEDULER_LAG_METRIC, t, num(lagMaxMs), this.scenarioTags));
  }

  close(): Promise<void> {
    return this.out.close();
  }

  private point(name: string, time: string, value: string, tags: string): string {
    const m = this.m[name]!;
    let line = m.prefix + time + '","value":' + value + ',"tags":' + tags + '}}\n';
    if (!m.declared) {
      m.declared = true;
      line = m.declaration + line;
    }
    return line;
  }

  private httpTags(s: RequestSample): string {
    const i = s.requestIndex;
    if (s.error) {
      const byError = this.errorTags[i]!;
      let tags = byError.get(s.error);
      if (tags === undefined) byError.set(s.error, (tags = this.buildTags(i, 0, s.error, false)));
      return tags;
    }
    // The expected flag follows from the status for a given request, so the status is the key.
    const byStatus = this.statusTags[i]!;
    let tags = byStatus.get(s.status);
    if (tags === undefined) byStatus.set(s.status, (tags = this.buildTags(i, s.status, null, s.expected)));
    return tags;
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
function fromSlo(slo: Record<string, string | string[]>) {
  const thresholds: Record<string, string[]> = {};
  const submetrics: Record<string, { name: string; suffix: string; tags: Record<string, string> }[]> = {};
  const addSub = (measure: string) => {
    const [base, rest] = [measure.slice(0, measure.indexOf('{')), measure.slice(measure.indexOf('{') + 1, -1)];
    const tags = Object.fromEntries(rest.split(',').map((kv) => [kv.slice(0, kv.indexOf(':')).trim(), kv.slice(kv.indexOf(':') + 1).trim()]));
    const list = (submetrics[base] ??= []);
    if (!list.some((x) => x.name === measure)) list.push({ name: measure, suffix: rest, tags });
  };
  for (const [measure, conditions] of Object.entries(k6Thresholds(slo))) {
    if (measure.includes('{')) addSub(measure);
    else thresholds[measure] = conditions;
  }
  addSub('http_req_duration{expected_response:true}');
  return { thresholds, submetrics };
}

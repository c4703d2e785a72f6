// The scenario as a user writes it: plain data plus pure functions, importing nothing from
// k6 or Node, so the same module runs inside k6 and inside the built-in engine.

/** A duration: a string such as `250ms`, `30s`, `1m30s`, or a number of milliseconds. */
export type Duration = string | number;

export interface IterationContext {
  /** Iteration number across the whole test, from 0. */
  iteration: number;
  /** Virtual user (or in-flight slot) number, from 1. */
  vu: number;
}

export interface ResponseView {
  status: number;
  body: string | null;
  headers: Record<string, string>;
}

export type Body = string | Record<string, unknown> | unknown[];

export interface RequestDefinition {
  /** Tag `name` in k6 and in faultline's samples. */
  name: string;
  /** Relative share of the mix (default 1). */
  weight?: number;
  method?: string;
  /** Path appended to the target's base URL. Give either `path` or `url`. */
  path?: string;
  /** Absolute URL, used as is. */
  url?: string;
  headers?: Record<string, string>;
  /** A string, a JSON value (sent as JSON), or a pure function of the iteration. */
  body?: Body | ((ctx: IterationContext) => Body);
  /** Per-request timeout (k6's default is 60s). */
  timeout?: Duration;
  expect?: {
    /** Statuses that count as success (default: 200-399, as k6's expected_response). */
    status?: number[];
    /** Extra pure check on the response; false counts the request as failed. */
    check?: (res: ResponseView) => boolean;
  };
}

export interface ConstantArrivalRateLoad {
  executor: 'constant-arrival-rate';
  /** Iterations started per `timeUnit`. */
  rate: number;
  timeUnit?: Duration;
  duration: Duration;
  preAllocatedVUs?: number;
  maxVUs?: number;
  gracefulStop?: Duration;
}

export interface RampingArrivalRateLoad {
  executor: 'ramping-arrival-rate';
  startRate?: number;
  timeUnit?: Duration;
  stages: { target: number; duration: Duration }[];
  preAllocatedVUs?: number;
  maxVUs?: number;
  gracefulStop?: Duration;
}

export type LoadDefinition = ConstantArrivalRateLoad | RampingArrivalRateLoad;

export interface ProxyDefinition {
  name: string;
  /** host:port the fault proxy listens on; the service under test connects here. */
  listen: string;
  /** host:port of the real dependency. */
  upstream: string;
}

export interface ProcessDefinition {
  /** The name steps use (`process: 'store'`) and the `process` tag of its vital signs. */
  name: string;
  /** Exactly one of `pid`, `pidFile` or `match` (a substring of the command line that one process has). */
  pid?: number;
  pidFile?: string;
  match?: string;
  /** Record its CPU share and memory each second (default true). */
  watch?: boolean;
}

export type ToxicType =
  | 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';
/** Faults on a local process or on the machine, applied by faultline itself (not by Toxiproxy). */
export type ProcessFaultType = 'pause' | 'restart' | 'command' | 'cpu_stress' | 'memory_stress';
export type FaultType = ToxicType | 'down' | ProcessFaultType;

export interface Fault {
  type: FaultType;
  /** Numeric settings: Toxiproxy attributes in Toxiproxy's units, or a process fault's (see faults.ts). */
  attributes: Record<string, number>;
  /** Shell commands of `restart` (end: start the process again) and `command` (start, end). */
  commands?: { start?: string; end?: string };
}

export interface RampPoint {
  /** Offset from the step's start. */
  after: Duration;
  /** Attributes merged into the toxic at that moment. */
  attributes: Record<string, number>;
}

export interface TimelineStep {
  /** Offset from load start. */
  at: Duration;
  /** How long the fault stays on. Give `for` or `until`; with neither it lasts to the end. */
  for?: Duration;
  /** Offset from load start at which the fault goes off. */
  until?: Duration;
  /** The proxy a network fault acts on. */
  proxy?: string;
  /** The process a `pause` or `restart` acts on (optional for `command`, `cpuStress` and `memoryStress`). */
  process?: string;
  fault: Fault;
  /** Probability (0..1) that a connection is affected (Toxiproxy's toxicity, default 1). */
  toxicity?: number;
  /** Which direction the toxic acts on (default downstream). */
  stream?: 'upstream' | 'downstream';
  ramp?: RampPoint[];
}

/** Thresholds in k6 syntax (`p(99)<250`, `rate<0.05`) keyed by measure. */
export type SloDefinition = Record<string, string | string[]>;

export interface GuardrailDefinition {
  /** `errorRate` (fraction) or `p99` (milliseconds) over one-second windows. */
  measure: 'errorRate' | 'p99';
  above: number;
  /** How long the measure must stay above the limit before the run is aborted. */
  for: Duration;
}

export interface ScenarioDefinition {
  name: string;
  target: { baseUrl: string };
  load: LoadDefinition;
  requests: RequestDefinition[];
  proxies?: ProxyDefinition[];
  /** Local processes (the dependencies themselves) to fault and to watch. */
  processes?: ProcessDefinition[];
  timeline?: TimelineStep[];
  slo?: SloDefinition;
  guardrails?: GuardrailDefinition[];
}

import type { Body, Fault, IterationContext, ResponseView, ScenarioDefinition } from './types.ts';

// The scenario after validation: durations in milliseconds, defaults filled in, TARGET_URL
// applied. Everything downstream of validation works on these types and trusts them.

export interface ResolvedLoad {
  executor: 'constant-arrival-rate' | 'ramping-arrival-rate';
  timeUnitMs: number;
  /** Iterations per timeUnit at t=0. For constant-arrival-rate, `rate`. */
  startRate: number;
  /** Linear ramps from the previous target; constant-arrival-rate is one flat stage. */
  stages: { target: number; durationMs: number }[];
  /** Sum of the stages: when new iterations stop starting. */
  durationMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  /** How long in-flight iterations may run on after `durationMs` (k6 default 30s). */
  gracefulStopMs: number;
}

export interface ResolvedRequest {
  name: string;
  weight: number;
  method: string;
  /** Absolute URL (base URL + path, or the request's own `url`). */
  url: string;
  headers: Record<string, string>;
  body: Body | ((ctx: IterationContext) => Body) | undefined;
  timeoutMs: number;
  /** Statuses that count as success; undefined means k6's default, 200-399. */
  expectStatus: number[] | undefined;
  check: ((res: ResponseView) => boolean) | undefined;
}

export interface ResolvedStep {
  /** Position in the scenario's `timeline`, for messages and events. */
  index: number;
  atMs: number;
  /** When the fault goes off; the load's duration when the step has no end. */
  untilMs: number;
  /** What the fault acts on: a Toxiproxy proxy, a local process, or the machine (`cpuStress`, `command` naming no process). */
  targetKind: 'proxy' | 'process' | 'host';
  /** The proxy's or process's name; `host` for the machine. Events and transitions carry it as `proxy`. */
  target: string;
  fault: Fault;
  toxicity: number;
  stream: 'upstream' | 'downstream';
  ramp: { afterMs: number; attributes: Record<string, number> }[];
}

export interface ResolvedProcess {
  name: string;
  /** Exactly one of the three is set. */
  pid?: number;
  pidFile?: string;
  match?: string;
  watch: boolean;
}

export interface ResolvedSlo {
  /** `http_req_duration`, `http_req_failed{name:verify}`, `transition.errorRate`, ... */
  measure: string;
  /** k6 threshold expressions, e.g. `p(99)<250`. */
  conditions: string[];
}

export interface ResolvedGuardrail {
  measure: 'errorRate' | 'p99';
  above: number;
  forMs: number;
}

export interface ResolvedScenario {
  name: string;
  baseUrl: string;
  load: ResolvedLoad;
  requests: ResolvedRequest[];
  proxies: { name: string; listen: string; upstream: string }[];
  processes: ResolvedProcess[];
  timeline: ResolvedStep[];
  slo: ResolvedSlo[];
  /** The SLOs that are k6 thresholds, in k6's form: k6's outputs are handed these by either engine. */
  thresholds: Record<string, string[]>;
  guardrails: ResolvedGuardrail[];
  /** The definition as written, for the k6 bundle and the run folder. */
  definition: ScenarioDefinition;
}

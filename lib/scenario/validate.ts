import type { z } from 'zod';
import { InvalidInputError, type InputProblem } from '../errors.ts';
import type { ResolvedScenario } from './resolved.ts';
import { requestUrl } from './request-plan.ts';
import { resolvePlan } from './resolve-load.ts';
import { scenarioSchema, type ParsedScenario } from './schema.ts';
import { NEEDS_PROCESS, isProcessFault } from './faults.ts';
import { k6Thresholds } from './k6-thresholds.ts';
import type { FaultType, ScenarioDefinition, TimelineStep } from './types.ts';

export interface ResolveOptions {
  /** Environment for `TARGET_URL` (default: process.env). */
  env?: Record<string, string | undefined>;
  /** `--rate`: replaces the load's rate (every stage's target, for ramps). */
  rate?: number;
  /** `--duration` in ms: cuts the load (clipping the timeline) or holds its last rate longer. */
  durationMs?: number;
  /** `--proxy-listen NAME=HOST:PORT` and `--proxy-upstream NAME=HOST:PORT`: where a proxy listens or points. */
  proxyListen?: Record<string, string>;
  proxyUpstream?: Record<string, string>;
  /** `--process NAME=pid:N|pid-file:PATH|match:TEXT`: which running process a scenario's process is. */
  processes?: Record<string, string>;
}

export interface Resolution {
  scenario: ResolvedScenario;
  /** Things the user should know that do not stop the run (a clipped timeline). */
  warnings: string[];
}

/**
 * Validates a scenario definition and resolves it (durations in ms, defaults, TARGET_URL).
 * Throws InvalidInputError listing every problem found, each with its field path.
 */
export function resolveScenario(definition: unknown, options: ResolveOptions = {}): Resolution {
  const parsed = scenarioSchema.safeParse(definition, { reportInput: true });
  if (!parsed.success) {
    // The checks across fields still run on the parts that are valid on their own, so one
    // answer lists every problem (a bad rate and an undeclared proxy together).
    throw new InvalidInputError('invalid scenario', [...parsed.error.issues.map(toProblem), ...crossFieldProblems(validParts(definition))]);
  }
  const problems = crossFieldProblems(parsed.data);
  const env = options.env ?? process.env;
  const baseUrl = env.TARGET_URL ?? parsed.data.target.baseUrl;
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) {
    problems.push({ path: 'TARGET_URL', value: baseUrl, expected: 'an http(s) URL such as http://127.0.0.1:8080' });
  }
  // The overrides replace load fields the schema checked, so they are held to the same rule.
  if (options.rate !== undefined && !(options.rate > 0)) problems.push({ path: '--rate', value: options.rate, expected: 'a rate above 0' });
  if (options.durationMs !== undefined && !(options.durationMs > 0)) problems.push({ path: '--duration', value: `${options.durationMs}ms`, expected: 'a duration above zero' });
  overrideProxies(parsed.data, options, problems);
  overrideProcesses(parsed.data, options, problems);
  if (problems.length > 0) throw new InvalidInputError('invalid scenario', problems);
  return resolve(parsed.data, definition as ScenarioDefinition, baseUrl.replace(/\/+$/, ''), options);
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/** Applies `--proxy-listen` / `--proxy-upstream`, naming unknown proxies and bad addresses. */
function overrideProxies(s: ParsedScenario, options: ResolveOptions, problems: InputProblem[]): void {
  for (const [option, field, overrides] of [['--proxy-listen', 'listen', options.proxyListen], ['--proxy-upstream', 'upstream', options.proxyUpstream]] as const) {
    for (const [name, address] of Object.entries(overrides ?? {})) {
      const proxy = s.proxies.find((p) => p.name === name);
      if (!proxy) problems.push({ path: `${option} ${name}`, value: name, expected: `a proxy of the scenario (${s.proxies.map((p) => p.name).join(', ') || 'none'})` });
      else if (!HOST_PORT.test(address)) problems.push({ path: `${option} ${name}`, value: address, expected: 'host:port' });
      else proxy[field] = address;
    }
  }
}

const SELECTOR = /^(pid|pid-file|match):(.+)$/;

/** Applies `--process NAME=SELECTOR`: the selector replaces the scenario's. */
function overrideProcesses(s: ParsedScenario, options: ResolveOptions, problems: InputProblem[]): void {
  for (const [name, selector] of Object.entries(options.processes ?? {})) {
    const definition = s.processes.find((p) => p.name === name);
    const [, kind, value] = SELECTOR.exec(selector) ?? [];
    const pid = Number(value);
    if (!definition) problems.push({ path: `--process ${name}`, value: name, expected: `a process of the scenario (${s.processes.map((p) => p.name).join(', ') || 'none'})` });
    else if (!kind || !value || (kind === 'pid' && !(Number.isInteger(pid) && pid > 1))) problems.push({ path: `--process ${name}`, value: selector, expected: 'pid:N, pid-file:PATH or match:TEXT' });
    else {
      delete definition.pid; delete definition.pidFile; delete definition.match;
      Object.assign(definition, kind === 'pid' ? { pid } : kind === 'pid-file' ? { pidFile: value } : { match: value });
    }
  }
}

function toProblem(issue: z.core.$ZodIssue): InputProblem {
  const path = formatPath(issue.path);
  const value = 'input' in issue ? issue.input : undefined;
  if (issue.code === 'unrecognized_keys') {
    return { path: formatPath([...issue.path, issue.keys[0]!]), expected: 'no such field (a typo?)', value: issue.keys.join(', ') };
  }
  if (issue.code === 'invalid_key') return { path, value, expected: issue.issues[0]?.message ?? 'a valid key' };
  return { path: path || '(scenario)', value, expected: expectedWords(issue) };
}

function expectedWords(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) return issue.expected;
  if (issue.code === 'too_small' && issue.message.startsWith('Too small')) return `at least ${String(issue.minimum)}`;
  return issue.message;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** The parts the cross-field checks read; a part that is itself invalid is left out. */
type Parts = Partial<Pick<ParsedScenario, 'load' | 'requests' | 'proxies' | 'processes' | 'timeline'>>;

function validParts(definition: unknown): Parts {
  const fields = (typeof definition === 'object' && definition !== null ? definition : {}) as Record<string, unknown>;
  const parts: Record<string, unknown> = {};
  for (const key of ['load', 'requests', 'proxies', 'processes', 'timeline'] as const) {
    const part = scenarioSchema.shape[key].safeParse(fields[key]);
    if (part.success) parts[key] = part.data;
  }
  return parts as Parts;
}

function crossFieldProblems(s: Parts): InputProblem[] {
  const problems: InputProblem[] = [];
  // Without a valid load, its length is unknown: the checks against it are skipped.
  const loadMs = s.load ? totalDurationMs(s.load) : Infinity;
  const maxVUs = s.load?.maxVUs;
  if (s.load && maxVUs !== undefined && maxVUs < s.load.preAllocatedVUs) {
    problems.push({ path: 'load.maxVUs', value: maxVUs, expected: `at least preAllocatedVUs (${s.load.preAllocatedVUs})` });
  }
  if (s.requests) duplicates(s.requests.map((r) => r.name), 'requests', 'name', problems);
  if (s.proxies) {
    duplicates(s.proxies.map((p) => p.name), 'proxies', 'name', problems);
    duplicates(s.proxies.map((p) => p.listen), 'proxies', 'listen', problems);
  }
  if (s.processes) duplicates(s.processes.map((p) => p.name), 'processes', 'name', problems);
  if (!s.timeline) return problems;
  const declared = { proxy: s.proxies?.map((p) => p.name), process: s.processes?.map((p) => p.name) };
  s.timeline.forEach((step, i) => {
    const at = `timeline[${i}]`;
    stepTargetProblems(step, at, declared, problems);
    if (step.for !== undefined && step.until !== undefined) {
      problems.push({ path: `${at}.until`, value: step.until, expected: 'either `for` or `until`, not both' });
    }
    if (step.until !== undefined && step.until <= step.at) {
      problems.push({ path: `${at}.until`, value: `${step.until}ms`, expected: `a time after the step's start (${step.at}ms)` });
    }
    if (step.at >= loadMs) {
      problems.push({ path: `${at}.at`, value: `${step.at}ms`, expected: `a time before the load ends (${loadMs}ms)` });
    } else if (stepEndMs(step, loadMs) > loadMs) {
      problems.push({ path: `${at}.for`, value: `ends at ${stepEndMs(step, loadMs)}ms`, expected: `a fault that ends by the load's end (${loadMs}ms)` });
    }
    step.ramp.forEach((point, j) => {
      if (point.after >= stepEndMs(step, loadMs) - step.at) {
        problems.push({ path: `${at}.ramp[${j}].after`, value: `${point.after}ms`, expected: 'an offset within the step' });
      }
    });
  });
  overlappingSteps(s.timeline, loadMs, problems);
  return problems;
}

function duplicates(values: string[], list: string, field: string, problems: InputProblem[]): void {
  values.forEach((v, i) => {
    if (values.indexOf(v) !== i) problems.push({ path: `${list}[${i}].${field}`, value: v, expected: `a ${field} not used by another entry` });
  });
}

/**
 * A network fault names a declared proxy; `pause` and `restart` a declared process; `command`,
 * `cpuStress` and `memoryStress` may name a process (the one they are about) or nothing (the machine).
 */
function stepTargetProblems(step: ParsedStep, at: string, declared: { proxy?: string[]; process?: string[] }, problems: InputProblem[]): void {
  const type = step.fault.type as FaultType;
  const processFault = isProcessFault(type);
  const wanted = processFault ? 'process' : 'proxy';
  const other = processFault ? 'proxy' : 'process';
  if (step[other] !== undefined) {
    problems.push({ path: `${at}.${other}`, value: step[other], expected: processFault ? `no proxy: ${type} acts on a process` : `no process: ${type} is a network fault, on a proxy` });
  }
  const name = step[wanted];
  const names = declared[wanted];
  if (name === undefined) {
    if (!processFault || NEEDS_PROCESS.includes(type)) problems.push({ path: `${at}.${wanted}`, expected: `the name of a ${wanted} declared in ${wanted === 'proxy' ? 'proxies' : 'processes'} (${type} acts on one)` });
  } else if (names && !names.includes(name)) {
    problems.push({ path: `${at}.${wanted}`, value: name, expected: `a ${wanted} declared in ${wanted === 'proxy' ? 'proxies' : 'processes'} (${names.join(', ') || 'none declared'})` });
  }
  if (!processFault) {
    if (step.fault.commands !== undefined) problems.push({ path: `${at}.fault.commands`, expected: `no commands: ${type} is a network fault` });
    return;
  }
  const needed = type === 'restart' ? 'end' : type === 'command' ? 'start' : undefined;
  if (needed && step.fault.commands?.[needed] === undefined) {
    problems.push({ path: `${at}.fault.commands.${needed}`, expected: type === 'restart' ? 'the shell command that starts the process again' : 'the shell command to run at the step\'s start' });
  }
  if (!needed && step.fault.commands !== undefined) problems.push({ path: `${at}.fault.commands`, expected: `no commands for ${type}` });
  if (type === 'cpu_stress' && !((step.fault.attributes.cores ?? 0) > 0)) problems.push({ path: `${at}.fault.attributes.cores`, value: step.fault.attributes.cores, expected: 'a number of cores above 0' });
  if (type === 'memory_stress' && !((step.fault.attributes.mb ?? 0) >= 1)) problems.push({ path: `${at}.fault.attributes.mb`, value: step.fault.attributes.mb, expected: 'a number of MiB, 1 or more' });
  if (step.ramp.length > 0) problems.push({ path: `${at}.ramp`, expected: `no ramp: ${type} has nothing to change while on` });
  if (step.toxicity !== 1) problems.push({ path: `${at}.toxicity`, value: step.toxicity, expected: `no toxicity: ${type} is not a Toxiproxy toxic` });
}

/** Two steps of the same toxic (type and stream) on one proxy may not be on at once: Toxiproxy names a toxic by both. */
function overlappingSteps(timeline: ParsedStep[], loadMs: number, problems: InputProblem[]): void {
  timeline.forEach((a, i) => {
    timeline.slice(0, i).forEach((b, j) => {
      const sameToxic = a.proxy !== undefined && a.proxy === b.proxy && a.fault.type === b.fault.type && (a.fault.type === 'down' || a.stream === b.stream);
      // A process cannot be paused and restarted at once, nor twice over.
      const sameProcess = a.process !== undefined && a.process === b.process && [a, b].every((x) => NEEDS_PROCESS.includes(x.fault.type as FaultType));
      if ((sameToxic || sameProcess) && a.at < stepEndMs(b, loadMs) && b.at < stepEndMs(a, loadMs)) {
        const on = sameToxic ? `${a.proxy}` : `${a.process}`;
        problems.push({ path: `timeline[${i}]`, value: `${a.fault.type} on ${on} from ${a.at}ms`, expected: `no overlap with timeline[${j}] (${sameToxic ? 'the same fault on the same proxy' : 'a pause or restart of the same process'})` });
      }
    });
  });
}

type ParsedStep = ParsedScenario['timeline'][number];
const stepEndMs = (step: ParsedStep, loadMs: number) => step.until ?? (step.for !== undefined ? step.at + step.for : loadMs);
const totalDurationMs = (load: ParsedScenario['load']) =>
  load.executor === 'constant-arrival-rate' ? load.duration : load.stages.reduce((sum, st) => sum + st.duration, 0);

function resolve(s: ParsedScenario, definition: ScenarioDefinition, baseUrl: string, options: ResolveOptions): Resolution {
  const { load, timeline, notes: warnings } = resolvePlan(s.load, s.timeline as TimelineStep[], { rate: options.rate, durationMs: options.durationMs });
  const scenario: ResolvedScenario = {
    name: s.name,
    baseUrl,
    load,
    requests: s.requests.map((r) => ({
      name: r.name, weight: r.weight, method: r.method, url: requestUrl(baseUrl, r), headers: r.headers,
      body: r.body, timeoutMs: r.timeout, expectStatus: r.expect.status, check: r.expect.check as ResolvedScenario['requests'][number]['check'],
    })),
    proxies: s.proxies,
    processes: s.processes,
    timeline,
    slo: Object.entries(s.slo).map(([measure, conditions]) => ({ measure, conditions })),
    thresholds: k6Thresholds(s.slo),
    guardrails: s.guardrails.map((g) => ({ measure: g.measure, above: g.above, forMs: g.for })),
    definition,
  };
  return { scenario, warnings };
}

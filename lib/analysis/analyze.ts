import type { ResolvedScenario } from '../scenario/resolved.ts';
import type { EventsFile } from '../timeline/events.ts';
import { Accumulator, TIMELINE_REQUESTS } from './accumulate.ts';
import { readEventsFile } from './events-input.ts';
import { formatHlog } from './hlog.ts';
import { resolveParameters, type AnalysisParameters } from './parameters.ts';
import { planAnalysis } from './plan.ts';
import { readSamples, SAMPLE_FORMATS } from './readers/index.ts';
import { parseMetricFilter, type TagFilter } from './samples.ts';
import { eventsFromSchedule, SCHEDULE_WARNING } from './schedule-events.ts';
import { scenarioInfoFromResolved, type ScenarioInfo } from './scenario-info.ts';
import { mergeStates, type AnalysisState } from './state.ts';
import { summarize } from './summarize.ts';
import type { Summary } from './summary.ts';

export interface AnalyzeOptions {
  /** k6 JSON or CSV samples, plain or gzip; several files (several k6 machines) are merged. */
  samplesFile: string | string[];
  /** events.json, or its content; with neither, t0 is the first send time and there are no transitions. */
  eventsFile?: string;
  events?: EventsFile | null;
  /** The SLOs, name, target and asked rate. Without one: no SLOs, verdict "pass". */
  scenario?: ScenarioInfo | ResolvedScenario;
  engine?: { name: string; version?: string };
  versions?: Record<string, string>;
  parameters?: Partial<AnalysisParameters>;
}

export interface AnalysisResult {
  summary: Summary;
  /** latency.hlog content. */
  hlog: string;
  /** The plain-data state the summary was computed from (mergeable, see mergeStates). */
  state: AnalysisState;
}

/** Reads a run's samples and events and computes its summary. Bad input: InvalidInputError. */
export async function analyzeRun(options: AnalyzeOptions): Promise<AnalysisResult> {
  const recorded = options.events ?? (options.eventsFile ? await readEventsFile(options.eventsFile) : null);
  const scenario = options.scenario && 'definition' in options.scenario ? scenarioInfoFromResolved(options.scenario) : options.scenario;
  // `events: null` means "no faults were switched" (faultline run before its load began).
  if (options.events !== undefined || recorded || !scenario?.timeline?.length) return analyzeWith(options, recorded, scenario);
  // No events, but a timeline: find t0 (the first request sent) and place the faults on the
  // scenario's schedule from it, as a --timeline-in-k6 run switched them.
  const first = await analyzeWith(options, null, scenario);
  const result = await analyzeWith(options, eventsFromSchedule(Date.parse(first.summary.startedAt), scenario.timeline), scenario);
  result.summary.warnings.push(SCHEDULE_WARNING);
  return result;
}

async function analyzeWith(options: AnalyzeOptions, events: EventsFile | null, scenario: ScenarioInfo | undefined): Promise<AnalysisResult> {
  const params = resolveParameters(options.parameters);
  // Only a scenario with a timeline can have had an in-k6 timeline sending requests; other
  // runs skip the per-request tag check on the reader's hot path.
  const measures = tagFilters(scenario?.slo.map((s) => s.measure) ?? []);
  const filters = scenario?.timeline?.length ? [...measures.slice(0, 30), TIMELINE_REQUESTS] : measures;
  const files = Array.isArray(options.samplesFile) ? options.samplesFile : [options.samplesFile];
  let state: AnalysisState | undefined;
  for (const file of files) {
    const one = await analyzeSamples(file, events, params, filters);
    state = state ? mergeStates(state, one) : one;
  }
  if (!state) throw new RangeError('analyzeRun needs at least one samples file');
  const summary = summarize(state, { scenario, engine: options.engine, versions: options.versions });
  return { summary, hlog: formatHlog(state), state };
}

/** One samples file into a state (the unit that merges). */
export async function analyzeSamples(file: string, events: EventsFile | null, params: AnalysisParameters, filters: TagFilter[] = []): Promise<AnalysisState> {
  const accumulator = new Accumulator(events, planAnalysis(events, params), params, filters);
  const read = await readSamples(file, SAMPLE_FORMATS, accumulator, filters);
  const input = { file, format: read.format, lines: read.lines, requests: accumulator.requests, problemCount: read.problemCount, problems: read.problems, wholeSecondTimes: read.wholeSecondTimes };
  return accumulator.finish([read.streamError ? { ...input, streamError: read.streamError } : input]);
}

/** The distinct tag filters the SLO measures use (`http_req_duration{name:verify}`); at most 31. */
export function tagFilters(measures: string[]): TagFilter[] {
  const byKey = new Map<string, TagFilter>();
  for (const m of measures) {
    const { filter } = parseMetricFilter(m);
    if (filter && !byKey.has(filter.key)) byKey.set(filter.key, filter);
  }
  return [...byKey.values()].slice(0, 31);
}

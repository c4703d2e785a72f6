import { resolve } from 'node:path';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import type { EventsFile } from '../timeline/events.ts';
import { Accumulator, TIMELINE_REQUESTS } from './accumulate.ts';
import { readEventsFile } from './events-input.ts';
import { formatHlog } from './hlog.ts';
import { resolveParameters, type AnalysisParameters } from './parameters.ts';
import { planAnalysis } from './plan.ts';
import { readSamples, SAMPLE_FORMATS } from './readers/index.ts';
import { runStartMs } from './run-start.ts';
import { parseMetricFilter, type TagFilter } from '../scenario/metric-filter.ts';
import { eventsFromSchedule, SCHEDULE_WARNING } from './schedule-events.ts';
import { scenarioInfoFromResolved, type ScenarioInfo } from './scenario-info.ts';
import { mergeStates, UnmergeableError, withVitals, type AnalysisState } from './state.ts';
import { mergeVitals } from './vitals-state.ts';
import { readVitals } from './vitals-read.ts';
import { summarize } from './summarize.ts';
import type { Summary } from './summary.ts';

export interface AnalyzeOptions {
  /** k6 JSON or CSV samples, plain or gzip; several files (several k6 machines) are merged. */
  samplesFile: string | string[];
  /** events.json, or its content; with neither, t0 is the first send time (the earliest over several files) and transitions come from the scenario's schedule, if any. */
  eventsFile?: string;
  events?: EventsFile | null;
  /** The SLOs, name, target and asked rate. Without one: no SLOs, verdict "pass". */
  scenario?: ScenarioInfo | ResolvedScenario;
  engine?: { name: string; version?: string };
  versions?: Record<string, string>;
  parameters?: Partial<AnalysisParameters>;
  /** vitals.json of the run (lib/vitals): the watched processes' CPU and RSS, summarised per phase. */
  vitalsFile?: string;
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
  const files = samplesFiles(options.samplesFile);
  const recorded = options.events ?? (options.eventsFile ? await readEventsFile(options.eventsFile) : null);
  const scenario = options.scenario && 'definition' in options.scenario ? scenarioInfoFromResolved(options.scenario) : options.scenario;
  if (recorded) return analyzeWith(files, options, recorded, scenario);
  // `events: null` means "no faults were switched" (faultline run before its load began);
  // left out, a scenario's timeline was switched on its schedule (a --timeline-in-k6 run).
  const timeline = options.events === undefined && scenario?.timeline?.length ? scenario.timeline : null;
  if (!timeline && files.length === 1) return analyzeWith(files, options, null, scenario); // t0: its first request read
  // One clock for every file (the segments of a distributed k6 test start together): t0 =
  // the earliest load request sent in any of them; the faults go on the schedule from it.
  const startMs = await runStartMs(files, scenario?.timeline?.length ? [TIMELINE_REQUESTS] : []);
  if (!timeline || startMs === null) return analyzeWith(files, options, null, scenario, startMs);
  const result = await analyzeWith(files, options, eventsFromSchedule(startMs, timeline), scenario);
  result.summary.warnings.push(SCHEDULE_WARNING);
  return result;
}

/** The samples files, each once: a file given twice would count its requests twice. */
function samplesFiles(given: string | string[]): string[] {
  const files = Array.isArray(given) ? given : [given];
  if (files.length === 0) throw new RangeError('analyzeRun needs at least one samples file');
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(resolve(file))) throw new UnmergeableError(`samples file ${file} is given twice: its requests would be counted twice`, file);
    seen.add(resolve(file));
  }
  return files;
}

async function analyzeWith(files: string[], options: AnalyzeOptions, events: EventsFile | null, scenario: ScenarioInfo | undefined, startMs: number | null = null): Promise<AnalysisResult> {
  const params = resolveParameters(options.parameters);
  // Only a scenario with a timeline can have had an in-k6 timeline sending requests; other
  // runs skip the per-request tag check on the reader's hot path.
  const measures = tagFilters(scenario?.slo.map((s) => s.measure) ?? []);
  const filters = scenario?.timeline?.length ? [...measures.slice(0, 30), TIMELINE_REQUESTS] : measures;
  let state = await analyzeSamples(files[0]!, events, params, filters, startMs);
  for (const file of files.slice(1)) state = mergeStates(state, await analyzeSamples(file, events, params, filters, startMs));
  if (options.vitalsFile) state = await addVitals(state, options.vitalsFile);
  const summary = summarize(state, { scenario, engine: options.engine, versions: options.versions });
  return { summary, hlog: formatHlog(state), state };
}

/**
 * One samples file into a state (the unit that merges). t0 is the events' t0, else
 * `runStartMs` (epoch ms; the same for every file of one run), else its first request read.
 */
export async function analyzeSamples(file: string, events: EventsFile | null, params: AnalysisParameters, filters: TagFilter[] = [], runStartMs: number | null = null): Promise<AnalysisState> {
  const accumulator = new Accumulator(events, planAnalysis(events, params), params, filters, runStartMs);
  const read = await readSamples(file, SAMPLE_FORMATS, accumulator, filters);
  const input = { file, format: read.format, lines: read.lines, requests: accumulator.requests, problemCount: read.problemCount, problems: read.problems, wholeSecondTimes: read.wholeSecondTimes };
  return accumulator.finish([read.streamError ? { ...input, streamError: read.streamError } : input]);
}

/** A state with the vital signs of `file` added, on the state's t0 and phases. */
export async function addVitals(state: AnalysisState, file: string): Promise<AnalysisState> {
  const vitals = await readVitals(file, state.t0Ms, planAnalysis(state.events, state.params).phases, state.params.seriesWindowMs);
  return { ...state, ...withVitals(mergeVitals(state.vitals, vitals)) };
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

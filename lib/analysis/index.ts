// lib/analysis: from a run's samples and events to summary.json. The whole public surface.
export type * from './summary.ts';
export { SUMMARY_SCHEMA_VERSION } from './summary.ts';
export { analyzeRun, analyzeSamples, tagFilters, type AnalyzeOptions, type AnalysisResult } from './analyze.ts';
export { writeAnalysis, SUMMARY_FILE, HLOG_FILE } from './write.ts';
export { summarize, type SummaryContext } from './summarize.ts';
export { mergeStates, UnmergeableError, type AnalysisState, type InputReport } from './state.ts';
export { formatHlog } from './hlog.ts';
export { readEventsFile, checkEvents } from './events-input.ts';
export { readScenarioInfo, scenarioInfoFromJson, scenarioInfoFromResolved, askedRate, type ScenarioInfo } from './scenario-info.ts';
export { DEFAULT_PARAMETERS, resolveParameters, type AnalysisParameters } from './parameters.ts';
export { parseThreshold, evaluateSlos, type Threshold } from './slo.ts';
export { SAMPLE_FORMATS, readSamples, type SampleFormat, type ReadResult } from './readers/index.ts';
export type { SampleSink, TagFilter } from './samples.ts';
export type { WindowData } from './window.ts';

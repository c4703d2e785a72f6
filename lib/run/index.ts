// lib/run: `faultline run` as a library: scenario -> proxies -> engine + timeline -> run
// folder -> analysis. The CLI only parses options and prints.
export { runScenario, type RunOptions, type RunOutcome } from './run.ts';
export { analyzeRunOutcome, type RunAnalysis } from './analyze-step.ts';
export type { LoadEngine, EngineOutcome, EngineRunContext } from './engines.ts';
export { GuardrailMonitor, type GuardrailTrip, type LoadWindow } from './guardrails.ts';

/// <reference types="k6" />
import type { ScenarioDefinition } from '../../scenario/types.ts';
import { formatDuration } from '../../scenario/duration.ts';
import { createIteration } from './iteration.ts';
import { k6Options, type K6Options } from './options.ts';
import { clearFaults, createTimeline, loadDurationMs, prepareProxies, TIMELINE_SCENARIO } from './timeline.ts';

/** What a bundle exports: k6 `options` and the default function. */
export function createK6Script(def: ScenarioDefinition) {
  return { options: k6Options(def, __ENV), iteration: createIteration(def) };
}

/**
 * The same, with the fault timeline as an extra one-VU scenario (`faultlineTimeline`),
 * `setup` creating the proxies and `teardown` clearing every fault, even after an abort.
 */
export function createK6ScriptWithTimeline(def: ScenarioDefinition) {
  const options: K6Options = k6Options(def, __ENV);
  options.scenarios[TIMELINE_SCENARIO] = {
    executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'faultlineTimeline',
    maxDuration: formatDuration(loadDurationMs(def) + 30_000),
  };
  // The timeline's API calls are requests too: keep them out of the load's thresholds.
  options.thresholds = Object.fromEntries(Object.entries(options.thresholds).map(([metric, conditions]) =>
    [metric.includes('{') ? metric : `${metric}{scenario:${def.name}}`, conditions]));
  return {
    options,
    iteration: createIteration(def),
    timeline: createTimeline(def),
    setup: () => prepareProxies(def),
    teardown: () => clearFaults(def),
  };
}

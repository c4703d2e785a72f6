/// <reference types="k6" />
import type { ScenarioDefinition } from '../../scenario/types.ts';
import { formatDuration } from '../../scenario/duration.ts';
import { createIteration } from './iteration.ts';
import { resolvePlan } from '../../scenario/resolve-load.ts';
import { k6Options, loadOverrides, type K6Options } from './options.ts';
import { clearFaults, createTimeline, prepareProxies, TIMELINE_SCENARIO } from './timeline.ts';

/** The same load and timeline the built-in engine would run, with faultline run's overrides. */
const planFor = (def: ScenarioDefinition) => resolvePlan(def.load, def.timeline ?? [], loadOverrides(__ENV));

/** What a bundle exports: k6 `options` and the default function. */
export function createK6Script(def: ScenarioDefinition) {
  return { options: k6Options(def, planFor(def).load), iteration: createIteration(def) };
}

/**
 * The same, with the fault timeline as an extra one-VU scenario (`faultlineTimeline`),
 * `setup` creating the proxies and `teardown` clearing every fault, even after an abort.
 */
export function createK6ScriptWithTimeline(def: ScenarioDefinition) {
  const plan = planFor(def);
  const options: K6Options = k6Options(def, plan.load);
  options.scenarios[TIMELINE_SCENARIO] = {
    executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'faultlineTimeline',
    maxDuration: formatDuration(plan.load.durationMs + 30_000),
  };
  // The timeline's API calls are requests too: keep them out of the load's thresholds.
  options.thresholds = Object.fromEntries(Object.entries(options.thresholds).map(([metric, conditions]) =>
    [metric.includes('{') ? metric : `${metric}{scenario:${def.name}}`, conditions]));
  return {
    options,
    iteration: createIteration(def),
    timeline: createTimeline(def, plan.timeline),
    setup: () => prepareProxies(def),
    teardown: () => clearFaults(def),
  };
}

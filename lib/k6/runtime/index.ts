import type { ScenarioDefinition } from '../../scenario/types.ts';
import { createIteration } from './iteration.ts';
import { k6Options } from './options.ts';

/** What a bundle exports: k6 `options` and the default function. */
export function createK6Script(def: ScenarioDefinition) {
  return { options: k6Options(def), iteration: createIteration(def) };
}

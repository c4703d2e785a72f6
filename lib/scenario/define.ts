import type { ScenarioDefinition } from './types.ts';

/**
 * Declares a scenario. It returns the definition unchanged: validation happens in the CLI
 * and the engines (`faultline validate`), so this module stays free of any dependency and
 * can be bundled into a k6 script as is.
 */
export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}

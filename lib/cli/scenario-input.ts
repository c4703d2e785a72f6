import { loadScenarioFile, resolveScenario, type Resolution, type ResolveOptions } from '../scenario/index.ts';
import { InvalidInputError } from '../errors.ts';

/** Loads and validates a scenario file; problems carry the file name. */
export async function loadScenario(file: string, options: ResolveOptions = {}): Promise<Resolution & { definition: unknown }> {
  const definition = await loadScenarioFile(file);
  try {
    return { ...resolveScenario(definition, options), definition };
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidInputError(`invalid scenario ${file}`, error.problems);
    throw error;
  }
}

/** Parses a positive number option (`--rate 500`), naming the option when it is not one. */
export function positiveNumber(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidInputError(`bad ${option}`, [{ path: option, value, expected: 'a number above 0' }]);
    return n;
  };
}

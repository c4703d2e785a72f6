import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { InvalidInputError } from '../errors.ts';

/** Imports a scenario file (.ts or .js) and returns its default export, not yet validated. */
export async function loadScenarioFile(file: string): Promise<unknown> {
  const path = resolve(file);
  try {
    await access(path);
  } catch {
    throw new InvalidInputError(`cannot read scenario ${file}`, [{ path: file, expected: 'a readable scenario file (.ts or .js)' }]);
  }
  let module: { default?: unknown };
  try {
    module = (await tsImport(pathToFileURL(path).href, import.meta.url)) as { default?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InvalidInputError(`cannot load scenario ${file}`, [{ path: file, value: reason, expected: 'a module that loads without errors' }]);
  }
  if (module.default === undefined) {
    throw new InvalidInputError(`no scenario in ${file}`, [{ path: `${file} (default export)`, expected: 'export default defineScenario({...})' }]);
  }
  return module.default;
}

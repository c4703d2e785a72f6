import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, errorMessage } from '../errors.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import { VITALS_FILE } from '../vitals/index.ts';

export interface RunFolder {
  dir: string;
  samplesFile: string;
  eventsFile: string;
  scenarioFile: string;
  /** The watched processes' CPU and RSS (lib/vitals); only when the scenario watches one. */
  vitalsFile: string;
}

/** `results/runs/<utc-timestamp>-<scenario>/`, e.g. `results/runs/20261125T095512Z-smoke/`. */
export async function createRunFolder(root: string, scenarioName: string, now = new Date()): Promise<RunFolder> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const dir = join(root, `${stamp}-${scenarioName}`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    // A file in the way, or no permission: bad input, found before anything is sent (the
    // run makes its folder before it creates a proxy or sends a request).
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTDIR' && code !== 'EEXIST' && code !== 'EACCES') throw error;
    throw new InvalidInputError(`cannot create a run folder in ${root}`, [{ path: root, expected: `a folder this process can write to, or a path where one can be created (${errorMessage(error)})` }]);
  }
  return {
    dir,
    samplesFile: join(dir, 'samples.json.gz'),
    eventsFile: join(dir, 'events.json'),
    scenarioFile: join(dir, 'scenario.json'),
    vitalsFile: join(dir, VITALS_FILE),
  };
}

/** The resolved scenario as data (functions shown as `[function]`), for the record and for analysis. */
export function scenarioRecord(scenario: ResolvedScenario): Record<string, unknown> {
  const { definition: _definition, ...resolved } = scenario;
  return {
    ...resolved,
    slo: Object.fromEntries(scenario.slo.map((s) => [s.measure, s.conditions])),
    requests: scenario.requests.map((r) => ({ ...r, body: typeof r.body === 'function' ? '[function]' : r.body, check: r.check ? '[function]' : undefined })),
  };
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

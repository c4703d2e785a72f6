import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ComparableRun } from './summary-input.ts';

// A baseline file: the fields of a summary that `compare` reads (series included, for the
// noise test), plus `baselineOf`, saying which run it was taken from and when. compare
// accepts it or a plain summary.json alike.

export interface BaselineFile extends ComparableRun {
  baselineOf: { createdAt: string; source: string; startedAt?: string };
}

export function makeBaseline(run: ComparableRun, source: string, createdAt: Date = new Date()): BaselineFile {
  const { schemaVersion, scenario, engine, versions, startedAt, durationMs, load, overall, phases, series, transitions } = run;
  return {
    schemaVersion, scenario, engine, versions, startedAt, durationMs, load, overall, phases, series, transitions,
    baselineOf: { createdAt: createdAt.toISOString(), source, ...(startedAt ? { startedAt } : {}) },
  };
}

/** `results/baselines/<scenario>.json`, with the name made safe for a file name. */
export function defaultBaselinePath(scenarioName: string, root = 'results/baselines'): string {
  return join(root, `${scenarioName.replace(/[^A-Za-z0-9._-]+/g, '-')}.json`);
}

export async function writeBaseline(baseline: BaselineFile, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(baseline, null, 2)}\n`);
}

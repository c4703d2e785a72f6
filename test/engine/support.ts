import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { resolveScenario } from '../../lib/scenario/index.ts';
import type { ResolvedScenario } from '../../lib/scenario/index.ts';

// Small builders shared by the engine tests.

export function scenarioFor(baseUrl: string, load: Record<string, unknown>, extra: Record<string, unknown> = {}): ResolvedScenario {
  return resolveScenario({
    name: 'load', target: { baseUrl },
    load: { timeUnit: '1s', preAllocatedVUs: 20, maxVUs: 200, ...load },
    requests: [{ name: 'verify', method: 'POST', path: '/verify', body: { token: 'abc' }, timeout: '2s' }],
    ...extra,
  }, { env: {} }).scenario;
}

export async function samplesPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'faultline-engine-')), 'samples.json.gz');
}

export interface K6Line {
  type: 'Metric' | 'Point';
  metric: string;
  data: { name?: string; type?: string; contains?: string; time?: string; value?: number; tags?: Record<string, string> };
}

/** Every line of a k6 JSON output file (gzip or not), parsed. */
export function readSamples(file: string): K6Line[] {
  const raw = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as K6Line);
}

export const points = (lines: K6Line[], metric: string) => lines.filter((l) => l.type === 'Point' && l.metric === metric);

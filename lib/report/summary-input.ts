import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SUMMARY_SCHEMA_VERSION } from '../analysis/summary.ts';
import { InvalidInputError } from '../errors.ts';

// Reading a summary.json or a baseline file for `compare` and `baseline`: the edge where a
// file from disk becomes a typed run. Only the fields a comparison needs are checked, and
// numbers may be null (JSON has no NaN: an empty window's percentile may arrive as null).

const value = z.number().nullable().optional();
const stats = {
  requests: value, errors: value, dropped: value, errorRate: value,
  p50: value, p90: value, p95: value, p99: value, p999: value, max: value,
};

const comparableSchema = z.object({
  schemaVersion: z.number(),
  scenario: z.object({ name: z.string(), target: z.string().optional() }),
  engine: z.object({ name: z.string(), version: z.string().optional() }).optional(),
  versions: z.record(z.string(), z.string()).optional(),
  startedAt: z.string().optional(),
  durationMs: z.number().optional(),
  load: z.object({ targetRate: value, achievedRate: value, requests: value, dropped: value }),
  overall: z.object(stats),
  phases: z.array(z.object({ ...stats, name: z.string(), kind: z.string(), startMs: z.number(), endMs: z.number(), faults: z.array(z.string()).optional() })).default([]),
  series: z.array(z.object({ ...stats, tMs: z.number(), windowMs: z.number() })).default([]),
  transitions: z.array(z.object({
    edge: z.enum(['on', 'off']), kind: z.string().optional(), proxy: z.string(), type: z.string(), at: z.string().optional(), atMs: z.number(),
    errorRate: value, requests: value, errors: value, dropped: value,
    settleTimeMs: z.number().nullable(), recoveryTimeMs: z.number().nullable().optional(), skewMs: value,
  })).default([]),
  baselineOf: z.object({ createdAt: z.string(), source: z.string() }).optional(),
});

/** A run as compare sees it: a summary.json, or a baseline file written from one. */
export type ComparableRun = z.infer<typeof comparableSchema>;

/** Checks a parsed JSON document; `source` names it in errors. */
export function toComparableRun(doc: unknown, source: string): ComparableRun {
  const version = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof doc !== 'object' || doc === null || version === undefined) {
    throw new InvalidInputError(`${source} is not a faultline summary or baseline`, [{ path: `${source} (schemaVersion)`, expected: `a summary.json or a baseline file (schemaVersion ${SUMMARY_SCHEMA_VERSION})` }]);
  }
  if (version !== SUMMARY_SCHEMA_VERSION) {
    throw new InvalidInputError(`${source} has another summary schema`, [{ path: `${source} (schemaVersion)`, value: version, expected: `${SUMMARY_SCHEMA_VERSION}, the summary schema this faultline reads (write a new baseline with \`faultline baseline\`)` }]);
  }
  const parsed = comparableSchema.safeParse(doc);
  if (!parsed.success) {
    throw new InvalidInputError(`${source} is not a faultline summary or baseline`, parsed.error.issues.slice(0, 10).map((issue) => ({
      path: `${source} (${issue.path.map(String).join('.') || 'root'})`, expected: issue.message.replace(/^Invalid input: expected /, ''),
    })));
  }
  return parsed.data;
}

/** Reads and checks a summary.json or baseline file; every failure is an InvalidInputError (exit 2). */
export async function readComparableRun(path: string): Promise<ComparableRun> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read ${path}`, [{ path, expected: `a readable file (${(error as NodeJS.ErrnoException).code ?? String(error)})` }]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${path} is not JSON`, [{ path, expected: `a JSON summary or baseline (${(error as Error).message})` }]);
  }
  return toComparableRun(doc, path);
}

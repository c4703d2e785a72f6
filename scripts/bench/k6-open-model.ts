// The real k6 on the same open-model ramp as the builtin engine's steps in engine.ts: a
// ramping-arrival-rate script written to a temporary file, run with `k6 run --quiet`, and
// read back from k6's --summary-export JSON (no other output).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface K6OpenModelStep {
  /** Requests k6 completed (http_reqs), failures included. */
  httpReqs: number;
  /** Requests k6 counted as failed (http_req_failed's true values). */
  failed: number;
  /** dropped_iterations: due iterations k6 had no free VU for. */
  dropped: number;
  /** http_reqs per second over k6's whole run (k6's own figure). */
  achievedRatePerSec: number;
}

/** One request per iteration, bodies discarded (the builtin engine keeps none either). */
function script(url: string, rate: number, rampS: number, holdS: number, maxVUs: number): string {
  const options = {
    discardResponseBodies: true,
    scenarios: {
      open: {
        executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: Math.min(100, maxVUs), maxVUs,
        stages: [{ target: rate, duration: `${rampS}s` }, { target: rate, duration: `${holdS}s` }],
      },
    },
  };
  return `import http from 'k6/http';\nexport const options = ${JSON.stringify(options)};\nexport default function () { http.get(${JSON.stringify(url)}); }\n`;
}

interface SummaryExport { metrics: Record<string, { count?: number; rate?: number; passes?: number } | undefined> }

/** Runs k6 at `k6Path` once; `dir` is a scratch folder the caller owns. */
export async function runK6OpenModel(k6Path: string, url: string, rate: number, rampS: number, holdS: number, maxVUs: number, dir: string): Promise<K6OpenModelStep> {
  const base = join(dir, `k6-${rate}-${Date.now()}`);
  const scriptFile = `${base}.js`;
  const summaryFile = `${base}-summary.json`;
  await writeFile(scriptFile, script(url, rate, rampS, holdS, maxVUs));
  try {
    const child = spawn(k6Path, ['run', '--quiet', '--no-usage-report', '--summary-export', summaryFile, scriptFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`k6 exited ${code}: ${stderr.trim()}`);
    const { metrics } = JSON.parse(await readFile(summaryFile, 'utf8')) as SummaryExport;
    return {
      httpReqs: metrics.http_reqs?.count ?? 0,
      failed: metrics.http_req_failed?.passes ?? 0,
      dropped: metrics.dropped_iterations?.count ?? 0,
      achievedRatePerSec: metrics.http_reqs?.rate ?? 0,
    };
  } finally {
    await rm(scriptFile, { force: true });
    await rm(summaryFile, { force: true });
  }
}

import { runLoad, warmUpEngine, type LoadProgress } from '../engine/index.ts';
import { RunFailedError } from '../errors.ts';
import { runK6 } from '../k6/index.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import type { LoadWindow } from './guardrails.ts';

export interface EngineRunContext {
  samplesFile: string;
  signal: AbortSignal;
  /** t0: the load's start (epoch ms). The fault timeline starts from it. */
  onStart(t0EpochMs: number): void;
  /** One-second windows while the load runs (for guardrails), when the engine can tell. */
  onWindow(window: LoadWindow): void;
  /** What a person watching should see (k6's own output, the built-in status line). */
  onOutput(text: string | Buffer, stream: 'stdout' | 'stderr'): void;
  onProgress?(progress: LoadProgress): void;
}

export interface EngineOutcome {
  t0EpochMs: number;
  /** False when the engine stopped early or failed. */
  completed: boolean;
  description: string;
  /** Figures the engine measured itself (achieved rate, scheduler lag, ...). */
  stats: Record<string, unknown>;
}

/** A load engine as `faultline run` sees it: the built-in one or a real k6. */
export interface LoadEngine {
  name: 'builtin' | 'k6';
  run(ctx: EngineRunContext): Promise<EngineOutcome>;
}

export function builtinEngine(scenario: ResolvedScenario): LoadEngine {
  return {
    name: 'builtin',
    async run(ctx) {
      let t0 = 0;
      // Compiles the engine's hot path before t0 (about 0.6 s; nothing reaches the target).
      // Should it fail (it listens on 127.0.0.1 itself), the load only starts cold.
      await warmUpEngine().catch(() => undefined);
      const result = await runLoad({
        scenario, samplesFile: ctx.samplesFile, signal: ctx.signal,
        onStart: (at) => { t0 = at; ctx.onStart(at); },
        onProgress: (p) => {
          ctx.onProgress?.(p);
          ctx.onWindow({ tMs: p.elapsedMs - 1000, requests: p.completed, errors: p.failed, dropped: p.dropped, p99Ms: Number.isNaN(p.p99Ms) ? null : p.p99Ms });
        },
      });
      return {
        t0EpochMs: result.t0EpochMs || t0,
        completed: !result.aborted,
        description: result.aborted ? 'stopped early' : 'finished',
        stats: { ...result },
      };
    },
  };
}

/** Real k6: the scenario's bundle (built before anything was sent) run paused, then resumed. */
export function k6Engine(bundleFile: string, scenario: ResolvedScenario, k6Path: string, overrides: { rate?: number; durationMs?: number }): LoadEngine {
  return {
    name: 'k6',
    async run(ctx) {
      const result = await runK6({
        k6Path, bundleFile,
        samplesFile: ctx.samplesFile, signal: ctx.signal,
        // The bundle reads --rate/--duration overrides from these (see lib/k6/runtime/options.ts).
        env: {
          TARGET_URL: scenario.baseUrl,
          ...(overrides.rate !== undefined ? { FAULTLINE_RATE: String(overrides.rate) } : {}),
          ...(overrides.durationMs !== undefined ? { FAULTLINE_DURATION_MS: String(overrides.durationMs) } : {}),
        },
        onStart: ctx.onStart,
        onWindow: ctx.onWindow,
        onOutput: (chunk, stream) => ctx.onOutput(chunk, stream),
      });
      if (!result.completed && !ctx.signal.aborted) throw new RunFailedError(`k6 failed: ${result.outcome}`);
      return { t0EpochMs: result.t0, completed: result.completed, description: `k6 ${result.outcome}`, stats: { exitCode: result.exitCode } };
    },
  };
}

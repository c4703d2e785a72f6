import { join } from 'node:path';
import { probeTarget } from '../engine/index.ts';
import { InvalidInputError, RunFailedError, errorMessage } from '../errors.ts';
import { findOnPath } from '../host/index.ts';
import { loadScenario, type ResolveOptions } from '../scenario/index.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import { TimelineThread, writeEventsFile, type EventsFile, type FaultEvent } from '../timeline/index.ts';
import { builtinEngine, k6Engine, type EngineOutcome, type EngineRunContext, type LoadEngine } from './engines.ts';
import { openFaultServer, type FaultServer } from './fault-server.ts';
import { GuardrailMonitor, type GuardrailTrip } from './guardrails.ts';
import { createRunFolder, scenarioRecord, writeJson, type RunFolder } from './run-folder.ts';
import { checkHosts } from './safety.ts';
import { FAULTLINE_VERSION, toolVersion, UNDICI_VERSION } from './versions.ts';

export interface RunOptions extends Pick<ResolveOptions, 'rate' | 'durationMs' | 'proxyListen' | 'proxyUpstream'> {
  scenarioFile: string;
  engine: 'auto' | 'builtin' | 'k6';
  /** k6 executable (`--k6 PATH`); `k6` on PATH otherwise. */
  k6Path?: string;
  /** A Toxiproxy API to use instead of the built-in proxy. */
  toxiproxyUrl?: string;
  /** Where run folders go (`results/runs`). */
  outRoot: string;
  /** Hosts other than loopback that traffic or faults may go to. */
  allowHosts?: string[];
  commandLine: string[];
  /** SIGINT/SIGTERM, from the CLI: stops the load and the faults, keeps what was measured. */
  signal?: AbortSignal;
  /** What a person should see while the run goes (the CLI decides how to show it). */
  onOutput?: EngineRunContext['onOutput'];
  onProgress?: EngineRunContext['onProgress'];
  /** Replaces the engine (tests). */
  engineFor?: (scenario: ResolvedScenario, folder: RunFolder) => LoadEngine;
}

export interface RunOutcome {
  folder: RunFolder;
  scenario: ResolvedScenario;
  warnings: string[];
  engine: string;
  outcome: EngineOutcome | null;
  events: EventsFile | null;
  /** Why the run stopped early: a guardrail, a signal, or an error. */
  stoppedBy: { kind: 'guardrail' | 'signal' | 'error'; reason: string } | null;
  guardrail: GuardrailTrip | null;
}

/**
 * `faultline run`: validate, create the proxies, probe the target, start the load and the
 * fault timeline at the same t0, wait, remove every fault, write the run folder. Nothing is
 * sent before the scenario and options are known good. Every exit path removes the faults.
 */
export async function runScenario(options: RunOptions): Promise<RunOutcome> {
  const { scenario, warnings } = await loadScenario(options.scenarioFile, { ...options, env: process.env });
  checkHosts([
    { what: 'target', url: scenario.baseUrl },
    ...(options.toxiproxyUrl ? [{ what: '--toxiproxy', url: options.toxiproxyUrl }] : []),
    ...scenario.proxies.map((p) => ({ what: `proxies.${p.name}.upstream`, address: p.upstream })),
  ], options.allowHosts ?? []);
  const k6Path = await chooseK6(options);
  const folder = await createRunFolder(options.outRoot, scenario.name);
  await writeJson(folder.scenarioFile, scenarioRecord(scenario));

  const faults = await openFaultServer(options.toxiproxyUrl);
  const stop = new AbortController();
  let stoppedBy: RunOutcome['stoppedBy'] = null;
  const stopWith = (kind: NonNullable<RunOutcome['stoppedBy']>['kind'], reason: string) => {
    stoppedBy ??= { kind, reason };
    stop.abort();
  };
  const onSignal = () => {
    const reason: unknown = options.signal?.reason;
    if (typeof reason === 'string' && reason.startsWith('SIG')) stopWith('signal', `stopped by ${reason}`);
    else stopWith('error', `stopped by an error: ${errorMessage(reason)}`);
  };
  options.signal?.addEventListener('abort', onSignal, { once: true });
  // A proxy that died takes the faults with it: what follows would measure only that.
  void faults.failed?.then((error) => stopWith('error', error.message));
  let t0: number | null = null;
  let timeline: TimelineThread | undefined;
  let outcome: EngineOutcome | null = null;
  let events: EventsFile | null = null;
  let guardrail: GuardrailTrip | null = null;
  try {
    const cleared = await faults.api.prepare(scenario.proxies).catch((error: unknown) => {
      throw new RunFailedError(`cannot create the scenario's proxies at ${faults.url}: ${errorMessage(error)}`, error);
    });
    if (cleared.length) warnings.push(`removed faults left by an earlier run: ${cleared.join(', ')}`);
    if (scenario.timeline.length > 0) timeline = await TimelineThread.open(scenario.timeline, { url: faults.url });
    await probeTarget(scenario.baseUrl);
    const engine = options.engineFor?.(scenario, folder)
      ?? (k6Path ? k6Engine(options.scenarioFile, scenario, k6Path, folder.dir, options) : builtinEngine(scenario));
    const monitor = new GuardrailMonitor(scenario.guardrails);
    outcome = await engine.run({
      samplesFile: folder.samplesFile,
      signal: stop.signal,
      onStart: (at) => { t0 = at; timeline?.start(at); },
      onWindow: (w) => {
        const trip = guardrail ? undefined : monitor.observe(w);
        if (trip) { guardrail = trip; stopWith('guardrail', trip.reason); }
      },
      onOutput: options.onOutput ?? (() => undefined),
      onProgress: options.onProgress,
    });
  } catch (error) {
    if (!stoppedBy) stoppedBy = { kind: 'error', reason: errorMessage(error) };
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onSignal);
    const applied = await stopTimeline(timeline, faults, warnings);
    events = await finish(folder, faults, t0, applied, options, k6Path, outcome);
  }
  return { folder, scenario, warnings, engine: k6Path ? 'k6' : 'builtin', outcome, events, stoppedBy, guardrail };
}

/**
 * Stops the timeline, which removes every fault it switched on. Should its thread have died,
 * the faults are cleared from here instead (every faultline toxic, every disabled proxy).
 */
async function stopTimeline(timeline: TimelineThread | undefined, faults: FaultServer, warnings: string[]): Promise<FaultEvent[]> {
  if (!timeline) return [];
  try {
    await timeline.stop();
  } catch (error) {
    const cleared = await faults.api.clearLeftovers().then(() => 'cleared from the main thread', (e: unknown) => `and clearing them failed too: ${errorMessage(e)}; run \`faultline reset\``);
    warnings.push(`the timeline thread failed (${errorMessage(error)}): its events are lost, faults ${cleared}`);
  }
  return timeline.events;
}

/** Records the run (command, versions) and closes the built-in proxy; runs on every exit path. */
async function finish(folder: RunFolder, faults: FaultServer, t0: number | null, faultEvents: FaultEvent[], options: RunOptions, k6Path: string | null, outcome: EngineOutcome | null) {
  try {
    const events = t0 === null ? null : await writeEventsFile(folder.eventsFile, t0, faultEvents);
    await writeJson(join(folder.dir, 'run.json'), {
      command: options.commandLine,
      versions: {
        faultline: FAULTLINE_VERSION, node: process.version,
        toxiproxy: `${faults.version} (${faults.kind === 'builtin' ? 'faultline built-in proxy' : faults.url})`,
        ...(k6Path ? { k6: (await toolVersion(k6Path)) ?? 'unknown' } : { undici: UNDICI_VERSION }),
      },
      engine: k6Path ? 'k6' : 'builtin',
      t0: t0 === null ? null : new Date(t0).toISOString(),
      outcome: outcome?.description ?? null,
      result: outcome?.stats ?? null,
    });
    return events;
  } finally {
    await faults.close();
  }
}

/** `--engine auto` is k6 when k6 is on PATH (or `--k6` names one), else the built-in engine. */
async function chooseK6(options: RunOptions): Promise<string | null> {
  if (options.engine === 'builtin') return null;
  const found = options.k6Path ?? (await findOnPath('k6'));
  if (found) return found;
  if (options.engine === 'k6') {
    throw new InvalidInputError('--engine k6', [{ path: '--engine', value: 'k6', expected: 'k6 on PATH, or its path given with --k6 PATH (or --engine builtin)' }]);
  }
  return null;
}

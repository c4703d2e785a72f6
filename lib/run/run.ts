import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { probeTarget } from '../engine/index.ts';
import { InvalidInputError, RunFailedError, errorMessage } from '../errors.ts';
import { findOnPath } from '../host/index.ts';
import { finishUndoFiles, readStat, readUndoFile, undoFileFor } from '../processes/index.ts';
import { bundleScenario } from '../k6/index.ts';
import { loadScenario, type ResolveOptions } from '../scenario/index.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import { EventsLog, TimelineThread, type EventsFile, type FaultEvent, type ProcessStepsOptions } from '../timeline/index.ts';
import { builtinEngine, k6Engine, type EngineOutcome, type EngineRunContext, type LoadEngine } from './engines.ts';
import { openFaultServer, type FaultServer } from './fault-server.ts';
import { GuardrailMonitor, type GuardrailTrip } from './guardrails.ts';
import { createRunFolder, scenarioRecord, writeJson, type RunFolder } from './run-folder.ts';
import { checkProcesses } from './process-check.ts';
import { checkHosts, runDestinations } from './safety.ts';
import { FAULTLINE_VERSION, toolVersion, UNDICI_VERSION } from './versions.ts';
import { startVitals, type VitalsSampler } from '../vitals/index.ts';

export interface RunOptions extends Pick<ResolveOptions, 'rate' | 'durationMs' | 'proxyListen' | 'proxyUpstream' | 'processes'> {
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
  engine: LoadEngine['name'];
  outcome: EngineOutcome | null;
  events: EventsFile | null;
  /** Why the run stopped early: a guardrail, a signal, or an error. */
  stoppedBy: { kind: 'guardrail' | 'signal' | 'error'; reason: string } | null;
  guardrail: GuardrailTrip | null;
  /** Fault calls that failed, and what may still be faulted after the run: the run did not measure its scenario. */
  faultTrouble: FaultTrouble | null;
}

export interface FaultTrouble {
  /** Each failed call: `on store:down at 3000 ms: <error>`. */
  failedCalls: string[];
  /** What an external Toxiproxy still had on after the cleanup (`store (disabled)`, `store/<toxic>`). */
  mayRemain: string[];
  /** The command that clears it. */
  resetCommand: string;
}

/**
 * `faultline run`: validate, create the proxies, probe the target, start the load and the
 * fault timeline at the same t0, wait, remove every fault, write the run folder. Nothing is
 * sent before the scenario and options are known good. Every exit path removes the faults.
 */
export async function runScenario(options: RunOptions): Promise<RunOutcome> {
  const { scenario, warnings } = await loadScenario(options.scenarioFile, { ...options, env: process.env });
  checkHosts(runDestinations(scenario, options.toxiproxyUrl), options.allowHosts ?? []);
  await checkProcesses(scenario);
  const k6Path = await chooseK6(options);
  // A scenario k6 cannot take (a Node built-in) fails here, before the run folder, a proxy or a request.
  const bundle = k6Path ? await bundleText(options.scenarioFile) : null;
  const folder = await createRunFolder(options.outRoot, scenario.name);
  // events.json from t0 on, rewritten as each fault call happens: a killed run keeps its record.
  const eventsLog = new EventsLog(folder.eventsFile);
  // Where the timeline writes down how to undo a process fault before applying it.
  const undoFile = undoFileFor(process.pid, basename(folder.dir));
  await writeJson(folder.scenarioFile, scenarioRecord(scenario));
  // The bundle k6 runs is kept in the run folder, as part of the record.
  const bundleFile = bundle === null ? null : join(folder.dir, 'bundle.js');
  if (bundle !== null && bundleFile) await writeFile(bundleFile, bundle);
  const engine = options.engineFor?.(scenario, folder)
    ?? (k6Path && bundleFile ? k6Engine(bundleFile, scenario, k6Path, options) : builtinEngine(scenario));

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
  // A stop asked for during start-up (loading the scenario, the first second) counts too.
  if (options.signal?.aborted) onSignal();
  // A stop at any moment: start nothing more, and apply no fault after it.
  const checkpoint = () => { if (stop.signal.aborted) throw new StoppedBeforeLoad(); };
  let timeline: TimelineThread | undefined;
  stop.signal.addEventListener('abort', () => { void timeline?.stop().catch(() => undefined); }, { once: true });
  // A proxy that died takes the faults with it: what follows would measure only that.
  void faults.failed?.then((error) => stopWith('error', error.message));
  let t0: number | null = null;
  // Set in onStart, a callback: declared so that the finally block does not narrow it to null.
  let vitals = null as VitalsSampler | null;
  let outcome: EngineOutcome | null = null;
  let events: EventsFile | null = null;
  let guardrail: GuardrailTrip | null = null;
  let faultTrouble: FaultTrouble | null = null;
  let leased = false;
  try {
    checkpoint();
    const cleared = await faults.api.prepare(scenario.proxies, { lease: true }).catch((error: unknown) => {
      if (error instanceof RunFailedError) throw error;
      throw new RunFailedError(`cannot create the scenario's proxies at ${faults.url}: ${errorMessage(error)}`, error);
    });
    leased = true;
    if (cleared.length) warnings.push(`removed faults left by an earlier run: ${cleared.join(', ')}`);
    checkpoint();
    if (scenario.timeline.length > 0) timeline = await TimelineThread.open(scenario.timeline, { url: faults.url }, await processSteps(scenario, folder, undoFile), (e) => eventsLog.update(e));
    checkpoint();
    await probeTarget(scenario.baseUrl);
    checkpoint();
    const monitor = new GuardrailMonitor(scenario.guardrails);
    outcome = await engine.run({
      samplesFile: folder.samplesFile,
      signal: stop.signal,
      onStart: (at) => {
        t0 = at;
        eventsLog.start(at);
        if (!stop.signal.aborted) timeline?.start(at);
        vitals = startVitals(scenario.processes, folder.vitalsFile, at);
      },
      onWindow: (w) => {
        const trip = guardrail ? undefined : monitor.observe(w);
        if (trip) { guardrail = trip; stopWith('guardrail', trip.reason); }
      },
      onOutput: options.onOutput ?? (() => undefined),
      onProgress: options.onProgress,
    });
  } catch (error) {
    if (!(error instanceof StoppedBeforeLoad)) {
      if (!stoppedBy) stoppedBy = { kind: 'error', reason: errorMessage(error) };
      throw error;
    }
  } finally {
    options.signal?.removeEventListener('abort', onSignal);
    warnings.push(...((await vitals?.stop()) ?? []));
    const applied = await stopTimeline(timeline, faults, undoFile, warnings);
    if (leased) await faults.api.releaseLeases(scenario.proxies.map((p) => p.name));
    faultTrouble = await checkFaults(applied, faults, scenario, undoFile);
    events = await finish(folder, eventsLog, faults, t0, applied, options, engine.name, k6Path, outcome);
  }
  return { folder, scenario, warnings, engine: engine.name, outcome, events, stoppedBy, guardrail, faultTrouble };
}

/**
 * Fault calls that failed, and, on an external Toxiproxy (which outlives the run), whatever
 * of ours is still on after the cleanup. Null when every call went through and all is clean.
 */
async function checkFaults(events: FaultEvent[], faults: FaultServer, scenario: ResolvedScenario, undoFile: string): Promise<FaultTrouble | null> {
  const failedCalls = events.filter((e) => e.error !== undefined)
    .map((e) => `${e.edge} ${e.proxy}:${e.type} (step ${e.step}, due at ${Math.round(e.scheduledMs)} ms): ${e.error}`);
  const onProxies = faults.kind === 'external' && scenario.timeline.some((s) => s.targetKind === 'proxy')
    ? await faults.api.stillFaulted(scenario.proxies.map((p) => p.name))
    : [];
  // The undo file outlives the cleanup only when an undo could not be carried out.
  const owed = readUndoFile(undoFile);
  const onProcesses = owed === null ? [] : 'record' in owed ? Object.values(owed.record.undos).map((u) => `${u.what}, undo owed (${u.kind})`) : [owed.path];
  const mayRemain = [...onProxies, ...onProcesses];
  if (failedCalls.length === 0 && mayRemain.length === 0) return null;
  const resetCommand = onProxies.length > 0 || onProcesses.length === 0 ? `faultline reset --toxiproxy ${faults.url}` : 'faultline reset';
  return { failedCalls, mayRemain, resetCommand };
}

/** What the timeline thread needs for process steps; the run's pid and start name its undo file's owner. */
async function processSteps(scenario: ResolvedScenario, folder: RunFolder, undoFile: string): Promise<ProcessStepsOptions> {
  const self = await readStat(process.pid);
  return {
    processes: scenario.processes,
    undoFile,
    runPid: process.pid,
    runStartTicks: self?.startTicks ?? 0,
    commandLog: join(folder.dir, 'commands.log'),
    cwd: process.cwd(),
  };
}

/** The scenario's k6 bundle, built in a folder of its own that is then removed. */
async function bundleText(scenarioFile: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-bundle-'));
  try {
    return await readFile(await bundleScenario(scenarioFile, { outDir: dir, name: 'bundle' }), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A stop asked for before the load started: nothing more is started, and the run returns as stopped. */
class StoppedBeforeLoad extends Error {}

/**
 * Stops the timeline, which removes every fault it switched on. Should its thread have died,
 * the faults are cleared from here instead (every faultline toxic, every disabled proxy, and
 * the process faults its undo file still owes).
 */
async function stopTimeline(timeline: TimelineThread | undefined, faults: FaultServer, undoFile: string, warnings: string[]): Promise<FaultEvent[]> {
  if (!timeline) return [];
  try {
    await timeline.stop();
  } catch (error) {
    const cleared = await faults.api.clearLeftovers().then(() => 'cleared from the main thread', (e: unknown) => `and clearing them failed too: ${errorMessage(e)}; run \`faultline reset\``);
    const undone = await finishUndoFiles('ignore', undoFile);
    const processes = undone.failed.length ? `; process faults not undone: ${undone.failed.join('; ')}` : '';
    warnings.push(`the timeline thread failed (${errorMessage(error)}): its events are those it reported until then, faults ${cleared}${processes}`);
  }
  return timeline.events;
}

/** Records the run (command, engine, versions) and closes the built-in proxy; runs on every exit path. */
async function finish(folder: RunFolder, eventsLog: EventsLog, faults: FaultServer, t0: number | null, faultEvents: FaultEvent[], options: RunOptions, engine: LoadEngine['name'], k6Path: string | null, outcome: EngineOutcome | null) {
  try {
    const events = t0 === null ? null : await eventsLog.finish(t0, faultEvents);
    await writeJson(join(folder.dir, 'run.json'), {
      command: options.commandLine,
      versions: {
        faultline: FAULTLINE_VERSION, node: process.version,
        toxiproxy: `${faults.version} (${faults.kind === 'builtin' ? 'faultline built-in proxy' : faults.url})`,
        ...(engine === 'k6' && k6Path ? { k6: (await toolVersion(k6Path)) ?? 'unknown' } : { undici: UNDICI_VERSION }),
      },
      engine,
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

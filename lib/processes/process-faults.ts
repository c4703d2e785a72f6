import { closeSync, openSync } from 'node:fs';
import type { ResolvedProcess, ResolvedStep } from '../scenario/resolved.ts';
import { startCpuStress, startMemoryStress, stopStress, stressProblem, type StressWorkers } from './stress.ts';
import { isSameProcess, readStat } from './proc.ts';
import { describeSelector, selectProcess } from './select.ts';
import { checkExited, runShellCommand } from './shell-command.ts';
import { performUndo } from './undo.ts';
import type { Undo, UndoFile } from './undo-file.ts';

/** What a process fault did, recorded in its event (events.json `process`). */
export interface ProcessFaultDetail {
  /** The process acted on. */
  pid?: number;
  /** A restart: how long the process took to exit after SIGTERM, and whether SIGKILL was needed. */
  stoppedInMs?: number;
  killed?: boolean;
  /** A command run at this edge: its exit code and how long it took. */
  command?: string;
  exitCode?: number | null;
  tookMs?: number;
  /** cpuStress: the busy workers' pids. */
  workers?: number[];
  /** The end of a step whose process had already gone (it exited while paused, say). */
  note?: string;
}

export interface ProcessFaultsOptions {
  processes: ResolvedProcess[];
  undoFile: UndoFile;
  /** The file commands' output is appended to (the run folder's commands.log); none: discarded. */
  commandLog?: string;
  cwd: string;
}

/**
 * Applies the process faults of a timeline (pause, restart, command, cpuStress): `on` does
 * the fault and writes down first what undoes it; `off` carries that undo out. Whatever is
 * on when the run stops, `undoAll` ends; what a killed run left, `faultline reset` ends from
 * the undo file.
 */
export class ProcessFaults {
  private readonly stress = new Map<number, StressWorkers>();
  /** Each process as last found: a step checks the pid is still that process instead of searching /proc again. */
  private readonly found = new Map<string, { pid: number; startTicks: number }>();
  private commandLog: number | null = null;
  constructor(private readonly options: ProcessFaultsOptions) {}

  /** Finds the scenario's processes ahead of the first step, so a step's only work is its signal. */
  async warm(): Promise<void> {
    for (const p of this.options.processes) await this.find(p.name).catch(() => undefined);
  }

  /** Closes the command log, if a command opened it. */
  close(): void {
    if (this.commandLog !== null) closeSync(this.commandLog);
    this.commandLog = null;
  }

  async on(step: ResolvedStep): Promise<ProcessFaultDetail> {
    const { attributes, commands } = step.fault;
    const what = `step ${step.index} (${step.fault.type} on ${step.target})`;
    switch (step.fault.type) {
      case 'pause': {
        const { pid, startTicks } = await this.find(step.target);
        this.owe(step, { kind: 'continue', what, pid, startTicks });
        process.kill(pid, 'SIGSTOP');
        // A signal is delivered when the process is next scheduled: applied means stopped.
        await untilStopped(pid, true);
        return { pid };
      }
      case 'restart': {
        const { pid, startTicks } = await this.find(step.target);
        // Owed from now: should the run die mid-stop, `faultline reset` starts the process again.
        this.owe(step, this.command(what, commands!.end!, attributes.timeout!));
        return { pid, ...(await stopProcess(pid, startTicks, attributes.timeout!)) };
      }
      case 'command': {
        if (commands?.end !== undefined) this.owe(step, this.command(what, commands.end, attributes.timeout!));
        return this.run(what, commands!.start!, attributes.timeout!);
      }
      case 'cpu_stress':
      case 'memory_stress': {
        const problem = stressProblem(step);
        if (problem) throw new Error(`${what}: ${problem}`);
        const forMs = step.untilMs - step.atMs;
        const workers = await (step.fault.type === 'cpu_stress' ? startCpuStress(attributes.cores!, forMs) : startMemoryStress(attributes.mb!, forMs));
        this.stress.set(step.index, workers);
        this.owe(step, { kind: 'end', what, processes: workers.processes });
        return { workers: workers.processes.map((p) => p.pid) };
      }
      default:
        throw new Error(`${what}: not a process fault`);
    }
  }

  async off(step: ResolvedStep): Promise<ProcessFaultDetail> {
    const key = String(step.index);
    const undo = this.options.undoFile.get(key);
    try {
      const workers = this.stress.get(step.index);
      if (workers) {
        // Its undo (`end`) is what this does, with the children at hand.
        await stopStress(workers);
        this.stress.delete(step.index);
        return {};
      }
      if (!undo) return {};
      if (undo.kind === 'command') return await this.run(undo.what, undo.command, undo.timeoutMs);
      const { said, gone } = await performUndo(undo, 'ignore');
      if (undo.kind !== 'continue') return {};
      if (gone) return { pid: undo.pid, note: said };
      await untilStopped(undo.pid, false);
      return { pid: undo.pid };
    } finally {
      if (undo) this.options.undoFile.remove(key);
    }
  }

  /** Ends every fault still on (a stopped run): each undo is tried, the failures are thrown together. */
  async undoAll(): Promise<string[]> {
    for (const workers of this.stress.values()) await stopStress(workers);
    this.stress.clear();
    const done: string[] = [];
    const failed: string[] = [];
    for (const [key, undo] of this.options.undoFile.pending) {
      try {
        done.push((await performUndo(undo, undo.kind === 'command' ? this.output() : 'ignore')).said);
      } catch (error) {
        failed.push((error as Error).message);
      }
      this.options.undoFile.remove(key);
    }
    if (failed.length) throw new Error(failed.join('; '));
    return done;
  }

  private async find(name: string): Promise<{ pid: number; startTicks: number }> {
    const known = this.found.get(name);
    if (known && (await isSameProcess(known.pid, known.startTicks))) return known;
    const definition = this.options.processes.find((p) => p.name === name);
    if (!definition) throw new Error(`no process named ${name} in the scenario`);
    const selection = await selectProcess(definition);
    if ('problem' in selection) throw new Error(`process ${name} (${describeSelector(definition)}): ${selection.problem}`);
    const current = { pid: selection.found.pid, startTicks: selection.found.startTicks };
    this.found.set(name, current);
    return current;
  }

  /** Commands write to the command log, opened (for appending) on the first command. */
  private output(): number | 'ignore' {
    if (this.options.commandLog === undefined) return 'ignore';
    this.commandLog ??= openSync(this.options.commandLog, 'a');
    return this.commandLog;
  }

  private owe(step: ResolvedStep, undo: Undo): void {
    this.options.undoFile.add(String(step.index), undo);
  }

  private command(what: string, command: string, timeoutMs: number): Undo {
    return { kind: 'command', what, command, cwd: this.options.cwd, timeoutMs };
  }

  private async run(what: string, command: string, timeoutMs: number): Promise<ProcessFaultDetail> {
    const result = await runShellCommand(command, { cwd: this.options.cwd, timeoutMs, output: this.output() });
    checkExited(what, command, result, timeoutMs);
    return { command, exitCode: result.exitCode, tookMs: Math.round(result.tookMs) };
  }
}

/** Bound on the wait for a signalled process to show as stopped (or running again) in /proc. */
const STATE_CHANGE_WITHIN_MS = 2000;

/** Waits until /proc shows the process stopped (T), or not stopped; a process that is gone counts as either. */
async function untilStopped(pid: number, stopped: boolean): Promise<void> {
  const deadline = performance.now() + STATE_CHANGE_WITHIN_MS;
  for (;;) {
    const state = (await readStat(pid))?.state;
    if (state === undefined || (state === 'T') === stopped) return;
    if (performance.now() > deadline) throw new Error(`pid ${pid} still shows state ${state} ${STATE_CHANGE_WITHIN_MS} ms after ${stopped ? 'SIGSTOP' : 'SIGCONT'}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** SIGTERM, then SIGKILL if the process is still there after `timeoutMs`; resolves once it is gone. */
async function stopProcess(pid: number, startTicks: number, timeoutMs: number): Promise<Pick<ProcessFaultDetail, 'stoppedInMs' | 'killed'>> {
  const startedAt = performance.now();
  process.kill(pid, 'SIGTERM');
  let killed = false;
  while (await isSameProcess(pid, startTicks)) {
    if (!killed && performance.now() - startedAt >= timeoutMs) {
      process.kill(pid, 'SIGKILL');
      killed = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { stoppedInMs: Math.round(performance.now() - startedAt), killed };
}

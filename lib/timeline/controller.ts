import type { ResolvedStep } from '../scenario/resolved.ts';
import type { Clock } from '../clock/index.ts';
import type { FaultEvent } from './events.ts';
import type { ProcessFaultDetail } from '../processes/index.ts';

/** The calls the controller makes (FaultRouter is the real one); a process fault answers what it did. */
export interface FaultActions {
  on(step: ResolvedStep, attributes: Record<string, number>): Promise<ProcessFaultDetail | void>;
  ramp(step: ResolvedStep, attributes: Record<string, number>): Promise<void>;
  off(step: ResolvedStep): Promise<ProcessFaultDetail | void>;
  reset(): Promise<void>;
}
import { planTimeline, type PlannedAction } from './plan.ts';
import { errorMessage } from '../errors.ts';

/**
 * Switches faults on the timeline, relative to the load's start (t0), and records every
 * call as an event (scheduled, sent, acknowledged). Calls on one proxy or process run in
 * order; calls on different ones run side by side. It emits events and never prints.
 */
export class TimelineController {
  readonly events: FaultEvent[] = [];
  private readonly actions: PlannedAction[];
  private readonly timers = new Set<unknown>();
  /** Steps whose fault is on (or being switched on), by step index. */
  private readonly active = new Map<number, ResolvedStep>();
  private readonly chains = new Map<string, Promise<void>>();
  private t0 = 0;
  private stopped = false;
  private remaining: number;
  private resolveDone!: () => void;
  /** Settles when every planned action has been attempted (or the controller was stopped). */
  readonly done: Promise<void>;

  constructor(
    steps: ResolvedStep[],
    private readonly api: FaultActions,
    private readonly clock: Clock,
    /** Told of each call as it changes: once sent, then once acknowledged or failed (`index` into `events`). */
    private readonly onEvent: (event: FaultEvent, index: number) => void = () => {},
  ) {
    this.actions = planTimeline(steps);
    this.remaining = this.actions.length;
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
    if (this.remaining === 0) this.resolveDone();
  }

  /** Starts the timeline with t0 = the load's start, in epoch ms. */
  start(t0: number): void {
    this.t0 = t0;
    for (const action of this.actions) this.schedule(action);
  }

  /**
   * Cancels what has not happened yet and switches off every fault that is on, waiting for
   * calls in flight first. A removal that keeps failing falls back to `POST /reset`.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) this.clock.cancel(timer);
    this.timers.clear();
    await Promise.all(this.chains.values());
    const leftovers = [...this.active.values()];
    const removals = leftovers.map((step) =>
      this.enqueue(queueOf(step), () => this.call({ atMs: this.clock.now() - this.t0, step, kind: 'off', attributes: {} }, 'cleanup')));
    await Promise.all(removals);
    this.resolveDone();
  }

  private schedule(action: PlannedAction): void {
    const timer = this.clock.at(this.t0 + action.atMs, () => {
      this.timers.delete(timer);
      this.run(action);
    });
    this.timers.add(timer);
  }

  private run(action: PlannedAction): void {
    if (this.stopped) return;
    void this.enqueue(queueOf(action.step), () => this.call(action, 'edge')).then(() => {
      if (--this.remaining === 0) this.resolveDone();
    });
  }

  private enqueue(queue: string, task: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(queue) ?? Promise.resolve()).then(task);
    this.chains.set(queue, next);
    return next;
  }

  private async call(action: PlannedAction, why: 'edge' | 'cleanup'): Promise<void> {
    const { step, kind } = action;
    const event: FaultEvent = {
      edge: kind === 'off' ? 'off' : 'on', proxy: step.target, type: step.fault.type,
      attributes: action.attributes, step: step.index, kind: why === 'cleanup' ? 'cleanup' : kind === 'ramp' ? 'ramp' : 'edge',
      ...(step.targetKind === 'proxy' ? { toxicity: step.toxicity, stream: step.stream } : { target: step.targetKind }),
      scheduledAt: iso(this.t0 + action.atMs), sentAt: iso(this.clock.now()), appliedAt: null,
      scheduledMs: action.atMs, sentMs: this.clock.now() - this.t0, appliedMs: null,
    };
    const index = this.events.push(event) - 1;
    if (kind === 'on') this.active.set(step.index, step);
    try {
      const calling = kind === 'on' ? this.api.on(step, action.attributes) : kind === 'ramp' ? this.api.ramp(step, action.attributes) : this.api.off(step);
      // Reported once the call is under way: telling the run (a message to another thread) must not make it late.
      this.onEvent(event, index);
      const detail = await calling;
      if (detail) event.process = detail;
      this.markApplied(event);
      if (kind === 'off') this.active.delete(step.index);
    } catch (error) {
      event.error = errorMessage(error);
      if (kind === 'off') await this.fallBackToReset(event, step);
    }
    this.onEvent(event, index);
  }

  private markApplied(event: FaultEvent): void {
    const now = this.clock.now();
    event.appliedAt = iso(now);
    event.appliedMs = now - this.t0;
  }

  /** A fault that cannot be removed must not outlive the run: reset the whole server. */
  private async fallBackToReset(event: FaultEvent, step: ResolvedStep): Promise<void> {
    try {
      await this.api.reset();
      event.fallback = 'reset';
      this.markApplied(event);
      this.active.clear();
    } catch (error) {
      event.error += `; POST /reset failed too: ${errorMessage(error)}`;
      this.active.set(step.index, step);
    }
  }
}

/** Calls on one proxy (or one process) run in order; on different ones, side by side. */
const queueOf = (step: ResolvedStep) => `${step.targetKind}:${step.target}`;

/** ISO time with microseconds: skews of a millisecond or less must stay visible. */
export function iso(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const micros = Math.floor((epochMs - whole) * 1000);
  return new Date(whole).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
}

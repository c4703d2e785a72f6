import type { ProcessFaultDetail, ProcessFaults } from '../processes/index.ts';
import type { ResolvedStep } from '../scenario/resolved.ts';
import type { FaultActions } from './controller.ts';
import type { FaultApi } from './fault-api.ts';

/**
 * The controller's one set of fault calls: a network step goes to the Toxiproxy API, a
 * process or machine step to ProcessFaults. `reset`, the last resort when a removal fails,
 * clears both.
 */
export class FaultRouter implements FaultActions {
  constructor(private readonly proxies: FaultApi, private readonly processes: ProcessFaults, private readonly hasProxySteps: boolean) {}

  on(step: ResolvedStep, attributes: Record<string, number>): Promise<ProcessFaultDetail | void> {
    return step.targetKind === 'proxy' ? this.proxies.on(step, attributes) : this.processes.on(step);
  }

  ramp(step: ResolvedStep, attributes: Record<string, number>): Promise<void> {
    return this.proxies.ramp(step, attributes);
  }

  off(step: ResolvedStep): Promise<ProcessFaultDetail | void> {
    return step.targetKind === 'proxy' ? this.proxies.off(step) : this.processes.off(step);
  }

  async reset(): Promise<void> {
    const results = await Promise.allSettled([this.hasProxySteps ? this.proxies.reset() : undefined, this.processes.undoAll()]);
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
    if (failed.length) throw new Error(failed.join('; '));
  }
}

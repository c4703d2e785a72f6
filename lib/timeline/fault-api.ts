import type { ProxyDefinition } from '../scenario/types.ts';
import type { ResolvedStep } from '../scenario/resolved.ts';
import { FaultApiError } from './http-client.ts';
import { ToxiproxyClient, type ProxyState } from './toxiproxy-client.ts';
import { TOXIC_PREFIX, toxicName } from './plan.ts';
import { errorMessage, RunFailedError } from '../errors.ts';
import { isLease, leaseHolder, ownLease } from './lease.ts';

export interface FaultApiOptions {
  /** Toxiproxy API base URL, e.g. http://127.0.0.1:8474 */
  url: string;
  /** Timeout of one API call (default 2000 ms). */
  timeoutMs?: number;
  /** Attempts per call before giving up (default 3). */
  attempts?: number;
  /** Pause between attempts (default 50 ms, doubled each time). */
  retryDelayMs?: number;
}

/**
 * faultline's faults, expressed as Toxiproxy API calls (ToxiproxyClient), each with a
 * timeout and bounded retries. Works the same against a real Toxiproxy and the built-in proxy.
 */
export class FaultApi {
  readonly url: string;
  private readonly client: ToxiproxyClient;
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  /** The proxies' addresses, which enabling or disabling one restates. */
  private readonly proxies = new Map<string, ProxyState>();

  constructor(options: FaultApiOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.client = new ToxiproxyClient(this.url, options.timeoutMs ?? 2000);
    this.attempts = options.attempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 50;
  }

  /** Closes the API client's kept-alive connections. */
  close(): Promise<void> {
    return this.client.close();
  }

  version(): Promise<string> {
    return this.retry(() => this.client.version());
  }

  /**
   * Creates (or updates) the scenario's proxies, enabled, and removes faultline toxics left
   * on them by an earlier run that was killed. Refuses proxies a live run holds; with
   * `lease`, marks them as this run's until releaseLeases() (lib/timeline/lease.ts).
   */
  async prepare(proxies: ProxyDefinition[], options: { lease?: boolean } = {}): Promise<string[]> {
    if (proxies.length === 0) return [];
    // Before anything changes (populate may replace a proxy): is a live run using one?
    await this.refuseLiveLeases(proxies.map((p) => p.name));
    await this.retry(() => this.client.populate(proxies.map((p) => ({ ...p, enabled: true }))));
    const cleared: string[] = [];
    for (const def of proxies) {
      // Populate's answer is not the proxy's state: for a proxy that already exists with the
      // same addresses, Toxiproxy 2.4.0 keeps it as it was (disabled, if a killed run left it
      // so) but answers `"enabled": false, "toxics": []` for it whatever its state. Ask.
      const proxy = await this.retry(() => this.client.proxy(def.name));
      this.proxies.set(def.name, proxy);
      if (!proxy.enabled) {
        await this.setEnabled(proxy, true);
        cleared.push(`${def.name} (re-enabled)`);
      }
      cleared.push(...(await this.removeOurToxics(proxy)));
      if (options.lease) await this.retry(() => this.client.addToxic(def.name, ownLease()), (status) => status === 409);
    }
    if (!options.lease) return cleared;
    // Two runs that started at the same moment both got this far: both back off.
    await this.refuseLiveLeases(proxies.map((p) => p.name)).catch(async (error: unknown) => {
      await this.releaseLeases(proxies.map((p) => p.name));
      throw error;
    });
    return cleared;
  }

  /** Takes this run's lease off its proxies (the end of a run); a lease left behind is cleared by the next run. */
  async releaseLeases(proxies: string[]): Promise<void> {
    for (const proxy of proxies) await this.removeToxic(proxy, ownLease().name).catch(() => undefined);
  }

  /** Throws naming the run when a live run other than this one holds a lease on one of `proxies`. */
  private async refuseLiveLeases(proxies: string[]): Promise<void> {
    const all = await this.retry(() => this.client.proxies());
    for (const name of proxies) {
      for (const toxic of all[name]?.toxics ?? []) {
        if (!isLease(toxic.name)) continue;
        const holder = leaseHolder(toxic.name);
        if (holder.alive && !holder.own) {
          throw new RunFailedError(`proxy ${name} at ${this.url} is in use by ${holder.who}: refusing to start rather than change its faults. `
            + `Wait for that run to end; if it is gone, \`faultline reset --toxiproxy ${this.url}\` clears what it left`);
        }
      }
    }
  }

  /**
   * Looks up the named proxies ahead of the first step, so a step's call is its one request
   * on an already open connection.
   */
  async warm(proxies: string[]): Promise<void> {
    for (const name of proxies) this.proxies.set(name, await this.retry(() => this.client.proxy(name)));
  }

  /** Switches a step's fault on: adds its toxic, or disables the proxy for `down`. */
  async on(step: ResolvedStep, attributes: Record<string, number>): Promise<void> {
    const proxy = await this.proxy(step.target);
    if (step.fault.type === 'down') return this.setEnabled(proxy, false);
    const body = { name: toxicName(step), type: step.fault.type, stream: step.stream, toxicity: step.toxicity, attributes };
    await this.retry(() => this.client.addToxic(proxy.name, body), (status) => status === 409);
  }

  /** Changes the attributes of a step's toxic (a ramp point). */
  async ramp(step: ResolvedStep, attributes: Record<string, number>): Promise<void> {
    await this.retry(() => this.client.updateToxic(step.target, toxicName(step), { attributes }));
  }

  /** Switches a step's fault off: removes its toxic, or re-enables the proxy. */
  async off(step: ResolvedStep): Promise<void> {
    if (step.fault.type === 'down') return this.setEnabled(await this.proxy(step.target), true);
    await this.removeToxic(step.target, toxicName(step));
  }

  /** Toxiproxy's `POST /reset`: every proxy enabled, every toxic removed. The last resort. */
  reset(): Promise<void> {
    return this.retry(() => this.client.reset());
  }

  /** Removes faultline's toxics from every proxy on the server and re-enables disabled ones. */
  async clearLeftovers(): Promise<string[]> {
    const all = await this.retry(() => this.client.proxies());
    const cleared: string[] = [];
    for (const [name, proxy] of Object.entries(all)) {
      this.proxies.set(name, proxy);
      if (!proxy.enabled) {
        await this.setEnabled(proxy, true);
        cleared.push(`${name} (re-enabled)`);
      }
      cleared.push(...(await this.removeOurToxics(proxy)));
    }
    return cleared;
  }

  /**
   * What may still be faulted on the named proxies: `store (disabled)`, `store/<toxic>` for
   * each faultline toxic, or `store (could not be checked: ...)` when the API does not answer.
   */
  async stillFaulted(proxies: string[]): Promise<string[]> {
    const found: string[] = [];
    for (const name of proxies) {
      try {
        const proxy = await this.retry(() => this.client.proxy(name));
        if (!proxy.enabled) found.push(`${name} (disabled)`);
        for (const t of proxy.toxics ?? []) if (t.name.startsWith(TOXIC_PREFIX) && !isLease(t.name)) found.push(`${name}/${t.name}`);
      } catch (error) {
        found.push(`${name} (could not be checked: ${errorMessage(error)})`);
      }
    }
    return found;
  }

  /** Deletes the toxics faultline named (TOXIC_PREFIX) on one proxy, as just read with it; others' toxics stay. */
  private async removeOurToxics(proxy: ProxyState): Promise<string[]> {
    const ours = (proxy.toxics ?? []).filter((t) => t.name.startsWith(TOXIC_PREFIX));
    for (const toxic of ours) await this.removeToxic(proxy.name, toxic.name);
    return ours.map((t) => `${proxy.name}/${t.name}`);
  }

  private async removeToxic(proxy: string, toxic: string): Promise<void> {
    // 404: already gone (an earlier attempt went through but its answer was lost).
    await this.retry(() => this.client.removeToxic(proxy, toxic), (status) => status === 404);
  }

  private setEnabled(proxy: ProxyState, enabled: boolean): Promise<void> {
    const { name, listen, upstream } = proxy;
    return this.retry(() => this.client.updateProxy({ name, listen, upstream, enabled }));
  }

  private async proxy(name: string): Promise<ProxyState> {
    const known = this.proxies.get(name);
    if (known) return known;
    const proxy = await this.retry(() => this.client.proxy(name));
    this.proxies.set(name, proxy);
    return proxy;
  }

  /** Runs a call up to `attempts` times; `settled(status)` marks an error answer that means done. */
  private async retry<T>(call: () => Promise<T>, settled?: (status: number) => boolean): Promise<T> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (error instanceof FaultApiError && settled?.(error.status)) return undefined as T;
        // 4xx other than a timeout-ish 408/429 will not get better by asking again.
        if (error instanceof FaultApiError && error.status >= 400 && error.status < 500 && ![408, 429].includes(error.status)) throw error;
        lastError = error;
        if (attempt < this.attempts) await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
    throw lastError;
  }
}

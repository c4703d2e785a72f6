import { sameListenAddress } from './address.ts';
import { ApiError, ErrProxyAlreadyExists, ErrProxyNotFound, asApiError } from './errors.ts';
import { requireProxyFields, type ProxyFields } from './input.ts';
import { Proxy } from './proxy.ts';

/** What `POST /populate` did: the proxies created or kept, and the error that stopped it. */
export interface PopulateResult {
  proxies: Proxy[];
  error?: ApiError;
}

/** Every proxy of the server, by name; guards names, and owns every proxy's shutdown. */
export class ProxyCollection {
  private readonly proxies = new Map<string, Proxy>();

  /** Sorted by name (Go marshals a map with its keys sorted). */
  list(): Proxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): Proxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw ErrProxyNotFound;
    return proxy;
  }

  /** `POST /proxies`: a new proxy, started unless `enabled` is false. */
  async create(fields: ProxyFields): Promise<Proxy> {
    const { name, upstream, listen, enabled } = requireProxyFields(fields);
    if (this.proxies.has(name)) throw ErrProxyAlreadyExists;
    const proxy = new Proxy(name, listen ?? '', upstream);
    if (enabled ?? true) await proxy.start();
    this.proxies.set(name, proxy);
    return proxy;
  }

  /**
   * `POST /populate`: creates each proxy, or replaces the one of that name, unless it already
   * has this listen address and upstream (then it is kept as it is, toxics and all). Every
   * entry is checked before any is applied; the first failure stops the rest.
   */
  async populate(list: ProxyFields[]): Promise<PopulateResult> {
    const checked = list.map((fields, i) => requireProxyFields(fields, ` at proxy ${i + 1}`));
    const proxies: Proxy[] = [];
    for (const fields of checked) {
      try {
        proxies.push(await this.createOrReplace(fields.name, fields.listen ?? '', fields.upstream, fields.enabled ?? true));
      } catch (error) {
        return { proxies, error: asApiError(error) };
      }
    }
    return { proxies };
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    await proxy.stop();
    await proxy.closed(); // its address may be taken again by the next request
    this.proxies.delete(name);
  }

  /** `POST /reset`: every proxy enabled, every toxic removed. */
  async reset(): Promise<void> {
    for (const proxy of this.proxies.values()) {
      await proxy.start();
      proxy.toxics.clear();
    }
  }

  /** Stops every proxy (and so closes every connection) and forgets them. */
  async close(): Promise<void> {
    await Promise.all([...this.proxies.values()].map(async (p) => { await p.stop(); await p.closed(); }));
    this.proxies.clear();
  }

  private async createOrReplace(name: string, listen: string, upstream: string, enabled: boolean): Promise<Proxy> {
    const existing = this.proxies.get(name);
    if (existing) {
      if (existing.upstream === upstream && (await sameListenAddress(existing.listen, listen))) return existing;
      await existing.stop();
      await existing.closed();
    }
    const proxy = new Proxy(name, listen, upstream);
    if (enabled) await proxy.start();
    this.proxies.set(name, proxy);
    return proxy;
  }
}

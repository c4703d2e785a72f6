import { TimedHttpClient } from './http-client.ts';

// The Toxiproxy HTTP API calls faultline makes, typed, one request each. Works the same
// against a real Toxiproxy and the built-in proxy. Retries and what an error status means
// for a fault are FaultApi's.

/** A proxy as the API describes it. */
export interface ProxyState {
  name: string;
  /** host:port */
  listen: string;
  /** host:port */
  upstream: string;
  enabled: boolean;
  toxics?: ToxicState[];
}

/** A toxic as the API takes and describes it; attributes in the toxic's own units (ms, KB/s, bytes). */
export interface ToxicState {
  name: string;
  type: string;
  stream: 'upstream' | 'downstream';
  /** 0..1: the share of connections it acts on. */
  toxicity: number;
  attributes: Record<string, number>;
}

export class ToxiproxyClient {
  private readonly http: TimedHttpClient;

  /** `url`: the API's base URL without a trailing slash; `timeoutMs`: the limit of one call. */
  constructor(readonly url: string, timeoutMs: number) {
    this.http = new TimedHttpClient(timeoutMs);
  }

  version(): Promise<string> {
    return this.http.text('GET', `${this.url}/version`);
  }

  /** Creates the proxies, or updates those that exist. */
  async populate(proxies: Omit<ProxyState, 'toxics'>[]): Promise<void> {
    await this.http.json('POST', `${this.url}/populate`, proxies);
  }

  /** Every proxy, by name, with its toxics. */
  proxies(): Promise<Record<string, ProxyState>> {
    return this.http.json('GET', `${this.url}/proxies`);
  }

  proxy(name: string): Promise<ProxyState> {
    return this.http.json('GET', this.proxyUrl(name));
  }

  /** Enables or disables a proxy (Toxiproxy wants its addresses restated). */
  async updateProxy(proxy: Omit<ProxyState, 'toxics'>): Promise<void> {
    const { listen, upstream, enabled } = proxy;
    await this.http.json('POST', this.proxyUrl(proxy.name), { listen, upstream, enabled });
  }

  async addToxic(proxy: string, toxic: ToxicState): Promise<void> {
    await this.http.json('POST', `${this.proxyUrl(proxy)}/toxics`, toxic);
  }

  async updateToxic(proxy: string, toxic: string, change: { attributes: Record<string, number> }): Promise<void> {
    await this.http.json('POST', this.toxicUrl(proxy, toxic), change);
  }

  async removeToxic(proxy: string, toxic: string): Promise<void> {
    await this.http.text('DELETE', this.toxicUrl(proxy, toxic));
  }

  /** Every proxy enabled, every toxic removed. */
  async reset(): Promise<void> {
    await this.http.text('POST', `${this.url}/reset`);
  }

  /** Closes the kept-alive connections. */
  close(): Promise<void> {
    return this.http.close();
  }

  private proxyUrl(name: string): string {
    return `${this.url}/proxies/${encodeURIComponent(name)}`;
  }

  private toxicUrl(proxy: string, toxic: string): string {
    return `${this.proxyUrl(proxy)}/toxics/${encodeURIComponent(toxic)}`;
  }
}

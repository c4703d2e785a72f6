import { ToxiproxyError } from 'toxiproxy-node-client';

/** A Toxiproxy API call that answered with an HTTP error status. */
export class FaultApiError extends ToxiproxyError {
  constructor(readonly status: number, readonly body: string, url: string) {
    super('FaultApiError', `${url} answered ${status}: ${body.trim()}`);
  }
}

/**
 * The HTTP transport toxiproxy-node-client calls (its get/post/delete/getText), with a
 * timeout on every call and the status kept on errors. The client's own transport has no
 * timeout, and a real Toxiproxy's toxic DELETE is known to hang under load.
 */
export class TimedHttpClient {
  constructor(private readonly timeoutMs: number) {}

  get<T>(url: string) { return this.request<T>('GET', url); }
  post<T>(url: string, body?: unknown) { return this.request<T>('POST', url, body); }
  async delete(url: string): Promise<void> { await this.request('DELETE', url); }
  async getText(url: string): Promise<string> { return (await this.fetch(url, { method: 'GET' })).text(); }

  private async request<T>(method: string, url: string, body?: unknown): Promise<{ data: T }> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const text = await (await this.fetch(url, init)).text();
    return { data: (text.length ? JSON.parse(text) : undefined) as T };
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) throw new FaultApiError(res.status, await res.text(), url);
    return res;
  }
}

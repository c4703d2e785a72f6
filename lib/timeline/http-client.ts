import { Agent, request } from 'undici';
import { ToxiproxyError } from 'toxiproxy-node-client';

/** A Toxiproxy API call that answered with an HTTP error status. */
export class FaultApiError extends ToxiproxyError {
  constructor(readonly status: number, readonly body: string, url: string) {
    super('FaultApiError', `${url} answered ${status}: ${body.trim()}`);
  }
}

/**
 * The HTTP transport toxiproxy-node-client calls (its get/post/delete/getText), with a
 * timeout on every call and the status kept on errors. The client's own transport (global
 * fetch) has no timeout (a real Toxiproxy's toxic DELETE is known to hang under load), and
 * it lets idle connections go after 4 s, so a step seconds after the last one would pay for
 * a new connection: here one keep-alive connection stays warm for the whole run
 * (`pipelining: 1`; undici's 0 would close the connection after every call, which cost
 * each fault call about 1.5 ms more, measured).
 */
export class TimedHttpClient {
  private readonly agent = new Agent({ connections: 4, keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });

  constructor(private readonly timeoutMs: number) {}

  get<T>(url: string) { return this.request<T>('GET', url); }
  post<T>(url: string, body?: unknown) { return this.request<T>('POST', url, body); }
  async delete(url: string): Promise<void> { await this.request('DELETE', url); }
  async getText(url: string): Promise<string> { return this.send('GET', url); }

  /** Lets the process exit: closes the kept-alive connections. */
  close(): Promise<void> { return this.agent.close(); }

  private async request<T>(method: string, url: string, body?: unknown): Promise<{ data: T }> {
    const text = await this.send(method, url, body === undefined ? undefined : JSON.stringify(body));
    return { data: (text.length ? JSON.parse(text) : undefined) as T };
  }

  private async send(method: string, url: string, body?: string): Promise<string> {
    const res = await request(url, {
      method: method as 'GET', body, dispatcher: this.agent,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs), headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new FaultApiError(res.statusCode, text, url);
    return text;
  }
}

import { Agent, request } from 'undici';

/** A Toxiproxy API call that answered with an HTTP error status. */
export class FaultApiError extends Error {
  constructor(readonly status: number, readonly body: string, url: string) {
    super(`${url} answered ${status}: ${body.trim()}`);
    this.name = 'FaultApiError';
  }
}

/**
 * The HTTP transport of the Toxiproxy client: a timeout on every call (a real Toxiproxy's
 * toxic DELETE is known to hang under load), the status kept on errors, and one keep-alive
 * connection that stays open for the whole run, so a step seconds after the last one does
 * not pay for a new connection.
 */
export class TimedHttpClient {
  private readonly agent = new Agent({ connections: 4, keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });

  constructor(private readonly timeoutMs: number) {}

  /** The answer's JSON (undefined for an empty body). */
  async json<T>(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown): Promise<T> {
    const text = await this.text(method, url, body === undefined ? undefined : JSON.stringify(body));
    return (text.length ? JSON.parse(text) : undefined) as T;
  }

  /** The answer's body as text; throws FaultApiError for a status of 300 or more. */
  async text(method: 'GET' | 'POST' | 'DELETE', url: string, body?: string): Promise<string> {
    const res = await request(url, {
      method, body, dispatcher: this.agent,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs), headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new FaultApiError(res.statusCode, text, url);
    return text;
  }

  /** Lets the process exit: closes the kept-alive connections. */
  close(): Promise<void> { return this.agent.close(); }
}

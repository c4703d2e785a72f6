// The demo service's client for the profile API: one undici pool to the proxied address,
// every call bounded as a whole (connect, headers and body) by `timeoutMs`.
import { Pool } from 'undici';

export interface ProfileClientOptions {
  host: string;
  port: number;
  /** Bound on one call, in ms (default 200). */
  timeoutMs?: number;
  /** Most connections kept open to the API (default 64). */
  connections?: number;
}

export interface ProfileReply {
  status: number;
  /** The API's JSON body, as received. */
  body: string;
}

export class ProfileClient {
  readonly #pool: Pool;
  readonly #timeoutMs: number;

  constructor(options: ProfileClientOptions) {
    this.#timeoutMs = options.timeoutMs ?? 200;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    this.#pool = new Pool(`http://${host}:${options.port}`, {
      connections: options.connections ?? 64,
      connectTimeout: this.#timeoutMs,
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
  }

  /** GET /profiles/:id. Rejects on a network error or when the whole call exceeds the bound. */
  async get(id: string): Promise<ProfileReply> {
    const { statusCode, body } = await this.#pool.request({
      method: 'GET',
      path: `/profiles/${encodeURIComponent(id)}`,
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    return { status: statusCode, body: await body.text() };
  }

  /** Closes every connection at once (calls in flight fail). */
  close(): Promise<void> {
    return this.#pool.destroy();
  }
}

// The demo service's view of its Redis-protocol store (the kv-store target or a real
// redis-server): token records under `token:<token>`, read with GET and seeded with SET NX.
// ioredis is set to fail fast, so that every fault the proxy can inject ends one call in a
// bounded time instead of queueing it:
//   - no offline queue: while the connection is down a call fails at once;
//   - no retries per request, no resending after a reconnect;
//   - `commandTimeout`: a call with no reply within `timeoutMs` fails (latency, slow data);
//   - `socketTimeout`: a connection that receives nothing for `timeoutMs` while calls are
//     waiting is destroyed and replaced (a stalled link; toxiproxy's `timeout` toxic drops the
//     data, so the old connection's replies would otherwise never line up again);
//   - reconnect every `reconnectDelayMs`, each attempt bounded by `connectTimeoutMs`.
import { once } from 'node:events';
import { Redis } from 'ioredis';

export interface TokenStoreOptions {
  host: string;
  port: number;
  /** Bound on one call, in ms (default 100). */
  timeoutMs?: number;
  /** Delay between reconnection attempts, in ms (default 75). */
  reconnectDelayMs?: number;
  /** Bound on one TCP connect, in ms (default 200). */
  connectTimeoutMs?: number;
  /** Tokens written (when missing) each time a connection is ready (default t-0..t-99). */
  seedTokens?: readonly string[];
}

/** The record of a valid token, as stored. */
export const VALID_RECORD = '{"valid":true}';
export const tokenKey = (token: string): string => `token:${token}`;
export const DEFAULT_SEED_TOKENS: readonly string[] = Array.from({ length: 100 }, (_, i) => `t-${i}`);

export class TokenStore {
  readonly #client: Redis;
  #closed = false;

  constructor(options: TokenStoreOptions) {
    const timeoutMs = options.timeoutMs ?? 100;
    const reconnectDelayMs = options.reconnectDelayMs ?? 75;
    this.#client = new Redis({
      host: options.host,
      port: options.port,
      protocol: 2, // RESP2: what the kv-store speaks (and every Redis)
      enableReadyCheck: false, // ready on connect: no INFO round trip (the kv-store has no INFO)
      disableClientInfo: true, // no CLIENT SETINFO on connect
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      connectTimeout: options.connectTimeoutMs ?? 200,
      retryStrategy: () => reconnectDelayMs,
    });
    // Connection errors are expected under faults and are seen by the calls that fail; the
    // listener keeps ioredis from printing each one.
    this.#client.on('error', () => {});
    const seed = options.seedTokens ?? DEFAULT_SEED_TOKENS;
    if (seed.length > 0) this.#client.on('ready', () => this.#seed(seed));
  }

  /** The connection's state, as ioredis names it (`ready` when usable). */
  get status(): string {
    return this.#client.status;
  }

  /**
   * Whether `token` is valid: true or false from its record, undefined when the store has no
   * record. Rejects when the store cannot answer within the bound.
   */
  async verify(token: string): Promise<boolean | undefined> {
    const record = await this.#client.get(tokenKey(token));
    if (record === null) return undefined;
    return record === VALID_RECORD || parseValid(record);
  }

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const live = ['connecting', 'connect', 'ready'].includes(this.#client.status);
    const ended = live ? once(this.#client, 'end') : Promise.resolve();
    this.#client.disconnect();
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }

  /** Writes missing seed records (SET NX); a failure waits for the next connection. */
  #seed(tokens: readonly string[]): void {
    const pipeline = this.#client.pipeline();
    for (const token of tokens) pipeline.set(tokenKey(token), VALID_RECORD, 'NX');
    pipeline.exec().catch(() => {});
  }
}

/** A record other than VALID_RECORD: valid when it is JSON with `valid: true`. */
function parseValid(record: string): boolean {
  try {
    return (JSON.parse(record) as { valid?: unknown } | null)?.valid === true;
  } catch {
    return false;
  }
}

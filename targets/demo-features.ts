// The demo service's two features, each a dependency call behind its circuit breaker,
// answering [status, JSON body]. The bodies that do not vary are built once.
import type { CircuitBreaker, CircuitState } from './circuit-breaker.ts';
import type { HostPort } from './cli.ts';
import { LruCache } from './lru-cache.ts';
import { ProfileClient } from './profile-client.ts';
import { TokenStore } from './token-store.ts';

export type Answer = [status: number, json: string];

const VERIFIED: Record<'store' | 'cache', [Answer, Answer]> = {
  // [valid, invalid]
  store: [[200, '{"valid":true,"source":"store"}'], [200, '{"valid":false,"source":"store"}']],
  cache: [[200, '{"valid":true,"source":"cache"}'], [200, '{"valid":false,"source":"cache"}']],
};
const STORE_UNAVAILABLE: Answer = [503, '{"error":"store unavailable and token not cached"}'];
const PROFILES_UNAVAILABLE: Answer = [503, '{"error":"profiles unavailable"}'];

/**
 * POST /verify: the store first, the cache of earlier answers as the fallback. A cache size
 * of 0 turns the fallback off: every failure of the store is a 503.
 */
export class TokenVerifier {
  readonly #store: TokenStore;
  readonly #breaker: CircuitBreaker;
  readonly #cache: LruCache<string, boolean> | undefined;

  constructor(store: HostPort, breaker: CircuitBreaker, options: { timeoutMs: number; cacheSize: number }) {
    this.#store = new TokenStore({ ...store, timeoutMs: options.timeoutMs });
    this.#breaker = breaker;
    this.#cache = options.cacheSize > 0 ? new LruCache(options.cacheSize) : undefined;
  }

  get circuit(): CircuitState {
    return this.#breaker.state;
  }

  async verify(token: string): Promise<Answer> {
    if (this.#breaker.allow()) {
      try {
        const valid = (await this.#store.verify(token)) === true; // no record: not valid
        this.#breaker.success();
        this.#cache?.set(token, valid);
        return VERIFIED.store[valid ? 0 : 1];
      } catch {
        this.#breaker.failure();
      }
    }
    const cached = this.#cache?.get(token);
    return cached === undefined ? STORE_UNAVAILABLE : VERIFIED.cache[cached ? 0 : 1];
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}

/** GET /profile/:id: the profile API, no fallback. */
export class ProfileFeature {
  readonly #client: ProfileClient;
  readonly #breaker: CircuitBreaker;

  constructor(api: HostPort, breaker: CircuitBreaker, timeoutMs: number) {
    this.#client = new ProfileClient({ ...api, timeoutMs });
    this.#breaker = breaker;
  }

  get circuit(): CircuitState {
    return this.#breaker.state;
  }

  async get(id: string): Promise<Answer> {
    if (!this.#breaker.allow()) return PROFILES_UNAVAILABLE;
    try {
      const reply = await this.#client.get(id);
      // A 5xx is the API failing; anything else (200, 404) is the API working.
      if (reply.status >= 500) throw new Error(`profiles answered ${reply.status}`);
      this.#breaker.success();
      return [reply.status, reply.body];
    } catch {
      this.#breaker.failure();
      return PROFILES_UNAVAILABLE;
    }
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}

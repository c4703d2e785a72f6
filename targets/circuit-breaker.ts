// A circuit breaker around one dependency, so that a dependency that is down or slow costs
// the service a few failed calls and not one timeout per request.
//
//   closed     every call goes to the dependency; `failureThreshold` consecutive failures open it.
//   open       calls are refused (the caller takes its fallback at once) for `coolDownMs`.
//   half-open  after the cool-down, exactly one call (the probe) goes through while the others
//              are still refused; its success closes the circuit, its failure re-opens it for
//              another cool-down.

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** Time the circuit stays open before one probe is let through, in ms (default 500). */
  coolDownMs?: number;
  /** Clock in ms (default performance.now), so tests can drive the cool-down. */
  now?: () => number;
  /** Called on every change of state, with the new state (the service's circuit log). */
  onChange?: (state: CircuitState) => void;
}

export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly coolDownMs: number;
  #now: () => number;
  #onChange: ((state: CircuitState) => void) | undefined;
  #state: CircuitState = 'closed';
  #consecutiveFailures = 0;
  /** When the open circuit lets its next probe through (ms, on `now`'s clock). */
  #probeAtMs = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.coolDownMs = options.coolDownMs ?? 500;
    this.#now = options.now ?? (() => performance.now());
    this.#onChange = options.onChange;
  }

  get state(): CircuitState {
    return this.#state;
  }

  /**
   * Whether this call may go to the dependency. A true answer in the open state (cool-down
   * over) makes the call the probe: the caller must then report `success()` or `failure()`.
   */
  allow(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open' && this.#now() >= this.#probeAtMs) {
      this.#set('half-open');
      return true;
    }
    return false;
  }

  success(): void {
    this.#consecutiveFailures = 0;
    this.#set('closed');
  }

  failure(): void {
    this.#consecutiveFailures++;
    if (this.#state === 'half-open' || this.#consecutiveFailures >= this.failureThreshold) {
      this.#set('open');
      this.#probeAtMs = this.#now() + this.coolDownMs;
    }
  }

  #set(state: CircuitState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#onChange?.(state);
  }
}

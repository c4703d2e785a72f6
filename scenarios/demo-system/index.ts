import type { GuardrailDefinition, LoadDefinition, ProcessDefinition, ProxyDefinition, RequestDefinition, SloDefinition } from 'faultline';

// What the shipped scenarios share: the demo system under test (targets/demo-service.ts)
// and its traffic. Each scenario file keeps what it is about: its timeline and its SLOs.

/** The demo service; TARGET_URL overrides it. */
export const demoTarget = { baseUrl: 'http://127.0.0.1:8080' };

/** The Redis-protocol store, behind the fault proxy. */
export const storeProxy: ProxyDefinition = { name: 'store', listen: '127.0.0.1:26379', upstream: '127.0.0.1:16379' };
/**
 * The store's own process, for the faults that act on it (pause, restart) and its vital
 * signs: the pid file targets/start-store.ts writes (scripts/nightly.ts starts the store that
 * way). `faultline run --process store=pid-file:PATH` (or pid:N, match:TEXT) names another.
 */
export const storeProcess: ProcessDefinition = { name: 'store', pidFile: 'results/demo-store.pid' };
/** How the store-restart scenario starts the store again: the same way, with the run's DEMO_STORE_* settings. */
export const START_STORE = 'node --import tsx targets/start-store.ts';
/**
 * What the service promises through an outage of its store (store-paused, store-restart),
 * with 10% of the load on tokens it has never seen (no fallback: they fail while the store is
 * out):
 */
export const STORE_OUTAGE_SLO: SloDefinition = {
  // only those may fail around each edge (1 s before to 5 s after it);
  'transition.errorRate': 'max<0.1',
  // on the cache within 1 s of the outage, back on the store within 1 s of its return;
  'transition.settleTime': 'max<1s',
  'recovery.time': 'max<1s',
  // the tokens users hold never fail, and stay fast.
  'http_req_failed{name:verify}': 'rate<0.001',
  'http_req_duration{name:verify}': 'p(99)<250',
};
/** Stop early if the service is clearly broken: over half the requests failing for 10 s. */
export const STOP_IF_BROKEN: GuardrailDefinition[] = [{ measure: 'errorRate', above: 0.5, for: '10s' }];
/** The profile API, behind the fault proxy (cascading). */
export const profilesProxy: ProxyDefinition = { name: 'profiles', listen: '127.0.0.1:28080', upstream: '127.0.0.1:18080' };

/** Open-model load at `rate` req/s. */
export function arrivalRate(rate: number, duration: string, maxVUs = Math.max(100, rate / 2), preAllocatedVUs = Math.ceil(maxVUs / 10)): LoadDefinition {
  return { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration, preAllocatedVUs, maxVUs };
}

/** A token verification; tokens t-0..t-99 are seeded in the store (all valid). */
export function verify(weight: number, expect: RequestDefinition['expect'] = { status: [200] }): RequestDefinition {
  return {
    name: 'verify', weight, method: 'POST', path: '/verify', timeout: '2s',
    headers: { 'content-type': 'application/json' },
    body: (ctx) => JSON.stringify({ token: `t-${ctx.iteration % 100}` }),
    expect,
  };
}

/**
 * A verification of a token the service has never seen: a different one every time
 * (`n-<iteration>`), so it is never cached. The store has no record of it (200, valid:false);
 * while the store is unreachable the service has no answer for it (503).
 */
export function verifyNew(weight: number): RequestDefinition {
  return {
    name: 'verify-new', weight, method: 'POST', path: '/verify', timeout: '2s',
    headers: { 'content-type': 'application/json' },
    body: (ctx) => JSON.stringify({ token: `n-${ctx.iteration}` }),
    expect: { status: [200] },
  };
}

/** The health check: it never touches a dependency. */
export function health(weight: number): RequestDefinition {
  return { name: 'health', weight, method: 'GET', path: '/health', timeout: '2s', expect: { status: [200] } };
}

import type { LoadDefinition, ProxyDefinition, RequestDefinition } from 'faultline';

// What the shipped scenarios share: the demo system under test (targets/demo-service.ts)
// and its traffic. Each scenario file keeps what it is about: its timeline and its SLOs.

/** The demo service; TARGET_URL overrides it. */
export const demoTarget = { baseUrl: 'http://127.0.0.1:8080' };

/** The Redis-protocol store, behind the fault proxy. */
export const storeProxy: ProxyDefinition = { name: 'store', listen: '127.0.0.1:26379', upstream: '127.0.0.1:16379' };
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

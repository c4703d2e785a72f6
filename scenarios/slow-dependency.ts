import { defineScenario, latency, timeout } from 'faultline';
import { arrivalRate, demoTarget, health, storeProxy, verify } from './demo-system/index.ts';

// A slow dependency: first 50 ms (±10 ms) of latency on the store's replies (5 s to 12 s),
// below the service's 100 ms dependency timeout; then a stalled store (16 s to 23 s): a
// `timeout` toxic of 0 holds every connection open and passes no data. 300 req/s for 30 s.
//
// What it checks: latency below the timeout slows /verify down but it keeps answering from
// the store; a stall above it is cut by the timeout (100 ms, then the circuit opens) and
// answered from the cache: no request hangs, and the service returns to the store after.
export default defineScenario({
  name: 'slow-dependency',
  target: demoTarget, // TARGET_URL overrides
  load: arrivalRate(300, '30s', 300),
  requests: [verify(9), health(1)],
  proxies: [storeProxy],
  timeline: [
    { at: '5s', until: '12s', proxy: 'store', fault: latency({ latency: 50, jitter: 10 }) },
    { at: '16s', until: '23s', proxy: 'store', fault: timeout({ timeout: 0 }) },
  ],
  slo: {
    http_req_failed: 'rate<0.02',
    'transition.errorRate': 'max<0.05',
    // Slower, never stuck: the worst request is bounded by the timeout (100 ms) plus overhead.
    'http_req_duration{name:verify}': ['p(99)<250', 'max<1500'],
    'recovery.time': 'max<10s',
  },
  guardrails: [{ measure: 'p99', above: 2000, for: '10s' }],
});

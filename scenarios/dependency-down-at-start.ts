import { defineScenario, down } from 'faultline';
import { arrivalRate, demoTarget, health, storeProxy, verify } from './demo-system/index.ts';

// A dependency down at start: the demo service's store is unreachable from the first
// request until 10 s, then comes back. 300 req/s for 25 s.
//
// What it checks: a service that starts without its dependency fails fast and cleanly and
// then heals by itself. No token can be cached yet, so /verify answers 503 (no fallback)
// while the store is down; those 503s must be quick (the circuit is open: no request waits
// for the dependency), /health must stay up, and once the store returns the service must
// reconnect and answer from it within a few seconds, without a restart.
export default defineScenario({
  name: 'dependency-down-at-start',
  target: demoTarget, // TARGET_URL overrides
  load: arrivalRate(300, '25s', 200),
  requests: [verify(9), health(1)],
  proxies: [storeProxy],
  timeline: [{ at: '0s', until: '10s', proxy: 'store', fault: down() }],
  slo: {
    // Failing while the store is down is expected (10 s of 25 s), failing after it is not.
    'http_req_failed{name:verify}': 'rate<0.5',
    // Failures are fast: no request waits on the missing dependency.
    'http_req_duration{name:verify}': 'p(99)<250',
    // Health never depends on the store.
    'http_req_failed{name:health}': 'rate<0.001',
    // Back to normal within 5 s of the store's return.
    'recovery.time': 'max<5s',
  },
});

import { defineScenario, timeout } from 'faultline';
import { arrivalRate, demoTarget, health, storeProxy, verify } from './demo-system/index.ts';

// A partial partition: from 6 s to 20 s, each connection to the store has a one-in-two
// chance (toxicity 0.5) of being black-holed (a `timeout` toxic of 0: open, silent). The
// service reconnects a stalled connection after its 100 ms socket timeout, so it meets a
// mix of good and dead connections. 300 req/s for 30 s.
//
// What it checks: an intermittent dependency, neither up nor down, does not turn into
// errors or stuck requests: failures are cut at the timeout and answered from the cache,
// the circuit may flap but the service keeps answering, and it settles back after.
export default defineScenario({
  name: 'partial-partition',
  target: demoTarget, // TARGET_URL overrides
  load: arrivalRate(300, '30s', 300),
  requests: [verify(9), health(1)],
  proxies: [storeProxy],
  timeline: [
    { at: '6s', until: '20s', proxy: 'store', fault: timeout({ timeout: 0 }), toxicity: 0.5 },
  ],
  slo: {
    http_req_failed: 'rate<0.02',
    'transition.errorRate': 'max<0.05',
    'http_req_duration{name:verify}': ['p(99)<250', 'max<1500'],
    'recovery.time': 'max<10s',
  },
  guardrails: [{ measure: 'errorRate', above: 0.5, for: '10s' }],
});

import { defineScenario, down } from 'faultline';
import { arrivalRate, demoTarget, health, storeProxy, verify } from './demo-system/index.ts';

// A dependency lost during the run and reconnected: the store is cut from 8 s to 18 s of a
// 30 s run at 300 req/s.
//
// What it checks: the client reconnects by itself and the circuit closes again. While the
// store is gone, /verify answers from the cache (tokens t-0..t-99 are all cached in the
// first second); when it returns, the next probe (at most one 500 ms cool-down later)
// closes the circuit and the service reads from the store again.
export default defineScenario({
  name: 'dependency-lost-and-reconnected',
  target: demoTarget, // TARGET_URL overrides
  load: arrivalRate(300, '30s', 200),
  requests: [verify(9), health(1)],
  proxies: [storeProxy],
  timeline: [{ at: '8s', until: '18s', proxy: 'store', fault: down() }],
  slo: {
    'transition.errorRate': 'max<0.05', // the loss and the return are both nearly invisible
    'transition.settleTime': 'max<2s',
    'recovery.time': 'max<10s',
    http_req_failed: 'rate<0.02',
    'http_req_duration{name:verify}': 'p(99)<250',
  },
  guardrails: [{ measure: 'errorRate', above: 0.5, for: '10s' }],
});

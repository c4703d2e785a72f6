import { defineScenario, pause } from 'faultline';
import { arrivalRate, demoTarget, health, STOP_IF_BROKEN, STORE_OUTAGE_SLO, storeProcess, storeProxy, verify, verifyNew } from './demo-system/index.ts';

// The store hangs: its process is frozen (SIGSTOP) for 5 s at 8 s of a 1000 req/s load, then
// continued (SIGCONT). Unlike a cut link, nothing is refused and nothing is closed: the
// store's socket stays open and the calls just wait, so each one runs into the service's
// 100 ms timeout until the circuit opens (5 failures), and from then the cache answers.
//   - during the pause, the store answers nothing: tokens never seen fail (503, 3% of the
//     load: 10%, enough to stand out of a noisy baseline), the tokens users hold are answered from the cache;
//   - on SIGCONT the store answers everything it was sent while frozen (late replies the
//     service already gave up on) and the circuit closes on its next probe, within one 500 ms
//     cool-down.
// The store's CPU share and memory are recorded each second (vitals.json, the report's charts).
//
// The store must be started by targets/start-store.ts (it writes results/demo-store.pid), or
// named with --process store=pid-file:PATH (or pid:N, match:TEXT); scripts/nightly.ts does it.
export default defineScenario({
  name: 'store-paused',
  target: demoTarget, // TARGET_URL overrides
  load: arrivalRate(1000, '20s', 500, 150),
  requests: [verify(80), verifyNew(10), health(10)],
  proxies: [storeProxy],
  processes: [storeProcess],
  timeline: [{ at: '8s', for: '5s', process: 'store', fault: pause() }],
  slo: STORE_OUTAGE_SLO,
  guardrails: STOP_IF_BROKEN,
});

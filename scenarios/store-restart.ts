import { defineScenario, restart } from 'faultline';
import { arrivalRate, demoTarget, health, START_STORE, STOP_IF_BROKEN, STORE_OUTAGE_SLO, storeProcess, storeProxy, verify, verifyNew } from './demo-system/index.ts';

// "Restart the store": at 8 s of a 1000 req/s load the store's process is stopped (SIGTERM),
// stays down for 3 s, and is started again by targets/start-store.ts (a kv-store, or with
// DEMO_STORE_KIND=redis a real redis-server), which returns once the store accepts
// connections. The restarted store is empty: the service writes its tokens back on
// reconnecting (SET NX), as it does at start-up.
//   - while it is down, connections are refused: calls fail at once, the circuit opens after
//     5 of them, and the cache answers the tokens users hold; tokens never seen fail (503);
//   - once it is back, the service reconnects (every 75 ms) and the circuit closes on its
//     next probe: recovery within about one 500 ms cool-down of the store's return. The test
//     checks it against the service's own log of that first successful store call.
//
// The store must be started by targets/start-store.ts (it writes results/demo-store.pid), or
// named with --process store=pid-file:PATH; the restart starts it with the run's DEMO_STORE_*
// environment (kind, port, pid file). scripts/nightly.ts does both.
export default defineScenario({
  name: 'store-restart',
  target: demoTarget, // TARGET_URL overrides
  load: arrivalRate(1000, '20s', 500, 150),
  requests: [verify(80), verifyNew(10), health(10)],
  proxies: [storeProxy],
  processes: [storeProcess],
  timeline: [{ at: '8s', for: '3s', process: 'store', fault: restart({ start: START_STORE, timeout: '5s' }) }],
  slo: STORE_OUTAGE_SLO,
  guardrails: STOP_IF_BROKEN,
});

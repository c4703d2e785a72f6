import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveScenario } from '../scenario/index.ts';
import { ChunkWriter } from './chunk-writer.ts';
import { K6JsonOutput } from './k6-json-output.ts';
import { runLoad, type LoadResult } from './run-load.ts';

// A short load at a server of our own, in this process, before the real load: the engine's
// hot path (undici's parser, the exchanges, the samples' formatting) is then compiled by
// the time t0 comes, so a fast start does not fall behind in its first second (see
// connection-pool.ts for what falling behind sets off). Nothing reaches the target; the
// samples go nowhere. Once per process.

/**
 * The warm-up's load: 0 -> 4000 req/s in 0.4 s, then 0.2 s at 4000 (about 1600 requests).
 * maxVUs exceeds the requests, so a busy machine delays them but drops none.
 */
const WARM_UP = {
  executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 20, maxVUs: 2000,
  stages: [{ target: 4000, duration: '400ms' }, { target: 4000, duration: '200ms' }],
};

let warmed: Promise<LoadResult> | null = null;

/** Runs the warm-up the first time it is called; every call settles with its figures. */
export function warmUpEngine(): Promise<LoadResult> {
  warmed ??= warmUp();
  return warmed;
}

async function warmUp(): Promise<LoadResult> {
  const server = createServer((_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const { scenario } = resolveScenario({
      name: 'warm-up', target: { baseUrl: `http://127.0.0.1:${port}` }, load: WARM_UP,
      requests: [{ name: 'warm-up', method: 'GET', path: '/' }],
    }, { env: {} });
    const sink = new K6JsonOutput(ChunkWriter.discarding(), { scenario: scenario.name, requests: [{ name: 'warm-up', method: 'GET', hasCheck: false }] });
    return await runLoad({ scenario, samplesFile: '', sink });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

import { Agent, buildConnector } from 'undici';
import type { Clock } from '../clock/index.ts';

// The engine's undici Agent: keep-alive pools with one connection per VU (a VU never has
// more than one request in flight, so requests never queue for a socket when the target
// keeps up), no pipelining, and undici's own header/body timeouts off: each request's
// `timeout` is enforced by the engine over the whole request, as k6 does.

/** The latest new connection: when it was established (epoch ms) and how long it took (ms). */
export interface ConnectTimes {
  lastEndMs: number;
  lastMs: number;
}

/** k6 dials with a 30 s timeout. */
const CONNECT_TIMEOUT_MS = 30_000;

export function createAgent(maxVUs: number, clock: Clock, connects: ConnectTimes): Agent {
  const connect = buildConnector({ timeout: CONNECT_TIMEOUT_MS });
  return new Agent({
    connections: maxVUs,
    pipelining: 1,
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 30_000,
    connect(options, callback) {
      const startMs = clock.now();
      connect(options, (error, socket) => {
        if (!error) {
          connects.lastEndMs = clock.now();
          connects.lastMs = connects.lastEndMs - startMs;
        }
        // buildConnector's callback is typed as a union of (err, null) | (null, socket).
        (callback as (e: Error | null, s: unknown) => void)(error, socket);
      });
    },
  });
}

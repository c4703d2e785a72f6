import { hostname } from 'node:os';
import { TOXIC_PREFIX } from './plan.ts';

// Which run is using a proxy. Toxiproxy keeps no owner for a proxy, so a run marks each of
// its proxies with a "lease": a toxic with toxicity 0 (it acts on no connection) named after
// the run's host and process. Another run finding a lease of a process that is still alive
// refuses to start instead of clearing that run's faults; a lease whose process is gone is
// a leftover like any other, and is cleared.

const LEASE_PREFIX = `${TOXIC_PREFIX}lease_`;
const HOST = hostname().replace(/[^A-Za-z0-9-]/g, '-');

/** The lease toxic this process puts on a proxy while it runs. */
export function ownLease(): { name: string; type: 'latency'; stream: 'upstream'; toxicity: 0; attributes: { latency: 0; jitter: 0 } } {
  return { name: `${LEASE_PREFIX}${HOST}_${process.pid}`, type: 'latency', stream: 'upstream', toxicity: 0, attributes: { latency: 0, jitter: 0 } };
}

export const isLease = (toxicName: string) => toxicName.startsWith(LEASE_PREFIX);

/** Who holds a lease and whether that run may still be alive (always, for another host's: it cannot be checked). */
export function leaseHolder(toxicName: string): { who: string; alive: boolean; own: boolean } {
  const rest = toxicName.slice(LEASE_PREFIX.length);
  const at = rest.lastIndexOf('_');
  const host = rest.slice(0, at);
  const pid = Number(rest.slice(at + 1));
  const own = host === HOST && pid === process.pid;
  if (host !== HOST) return { who: `a run on ${host} (pid ${pid})`, alive: true, own };
  return { who: `a run on this machine (pid ${pid})`, alive: own || processAlive(pid), own };
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

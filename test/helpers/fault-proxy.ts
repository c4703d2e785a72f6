import { down, latency, resetPeer, timeout, type Fault } from '../../lib/index.ts';
import { startProxyServer } from '../../lib/proxy/index.ts';
import { freeListenPort } from './net.ts';

// Links between a test and a dependency through faultline's own built-in proxy (lib/proxy),
// faulted through its Toxiproxy API with the scenario's own fault constructors, as
// `faultline run` faults a scenario's proxies: the tests meet the product's data path.

/** The delay `slow` adds to every reply, in ms. */
export const SLOW_MS = 300;

export type LinkFault = 'slow' | 'stall' | 'reset' | 'down';

/** Each fault a test can put on a link, as a scenario writes it (on the replies, Toxiproxy's default `downstream`). */
export const LINK_FAULTS: Readonly<Record<LinkFault, Fault>> = {
  slow: latency({ latency: SLOW_MS }), // every reply SLOW_MS late
  stall: timeout({ timeout: 0 }), // connections stay open and nothing comes back: a partition
  reset: resetPeer(), // the connection is reset (TCP RST) when the next reply comes
  down: down(), // the proxy disabled: connections closed, new ones refused
};

/** `pass` is the link with no fault on it. */
export type LinkMode = LinkFault | 'pass';

export interface FaultedLink {
  /** The proxy's name on the fault API. */
  name: string;
  /** Where clients connect (127.0.0.1). */
  port: number;
  readonly mode: LinkMode;
  /** Takes the current fault off, then puts `mode`'s on; settles once the API has answered. */
  setMode(mode: LinkMode): Promise<void>;
}

export interface FaultProxy {
  /** The Toxiproxy API's base URL. */
  url: string;
  /** Creates an enabled proxy named `name` on a free port of 127.0.0.1 to `upstreamPort`. */
  link(name: string, upstreamPort: number): Promise<FaultedLink>;
  /** Stops the API and every link, and closes their connections. */
  close(): Promise<void>;
}

const TOXIC = 'test_fault';

/** The built-in proxy, in this process, on a free port. */
export async function startFaultProxy(): Promise<FaultProxy> {
  const server = await startProxyServer({ port: 0 });
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    const res = await fetch(`${server.url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  return {
    url: server.url,
    close: () => server.close(),
    async link(name, upstreamPort) {
      const port = await freeListenPort();
      const proxy = { name, listen: `127.0.0.1:${port}`, upstream: `127.0.0.1:${upstreamPort}` };
      await call('POST', '/proxies', { ...proxy, enabled: true });
      let mode: LinkMode = 'pass';
      const apply = (fault: Fault, on: boolean): Promise<void> => {
        if (fault.type === 'down') return call('POST', `/proxies/${name}`, { ...proxy, enabled: !on });
        if (!on) return call('DELETE', `/proxies/${name}/toxics/${TOXIC}`);
        return call('POST', `/proxies/${name}/toxics`, { name: TOXIC, type: fault.type, stream: 'downstream', toxicity: 1, attributes: fault.attributes });
      };
      return {
        name,
        port,
        get mode() { return mode; },
        async setMode(next) {
          if (next === mode) return;
          if (mode !== 'pass') await apply(LINK_FAULTS[mode], false);
          mode = 'pass';
          if (next !== 'pass') await apply(LINK_FAULTS[next], true);
          mode = next;
        },
      };
    },
  };
}

import { createServer } from 'node:net';

/**
 * A free port on 127.0.0.1 below Linux's ephemeral range (32768+), for a server that binds
 * it later (a proxy's listen address, k6's REST API): in the ephemeral range, a client
 * reconnecting to a closed proxy port can connect to itself and hold the port the proxy
 * needs, and any listen(0) or outgoing connection can take the port before its server does
 * (seen: the k6 runner's REST API polls reached another test's proxy).
 */
export async function freeListenPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
}

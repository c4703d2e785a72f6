import { createServer, type AddressInfo } from 'node:net';

/** A free TCP port on 127.0.0.1, chosen by the OS (in Linux's ephemeral range). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A free port on 127.0.0.1 below Linux's ephemeral range (32768+), for a proxy's listen
 * address: a client reconnecting to a closed proxy port in that range can connect to
 * itself and hold the port the proxy needs.
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

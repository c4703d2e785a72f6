import { RunFailedError, errorMessage } from '../errors.ts';
import { startProxyThread } from '../proxy/index.ts';
import { FaultApi } from '../timeline/index.ts';

export interface FaultServer {
  api: FaultApi;
  /** `builtin` (in-process) or the URL of the Toxiproxy in use. */
  kind: 'builtin' | 'external';
  url: string;
  version: string;
  /** Settles if the built-in proxy fails during the run (never for an external Toxiproxy). */
  failed?: Promise<Error>;
  close(): Promise<void>;
}

/**
 * The Toxiproxy API the run talks to: a real (or separately started) Toxiproxy at `url`,
 * or faultline's built-in proxy started in this process, on a thread of its own and a free
 * loopback port.
 */
export async function openFaultServer(url: string | undefined): Promise<FaultServer> {
  if (url) {
    const api = new FaultApi({ url });
    const version = await api.version().catch((error: unknown) => {
      throw new RunFailedError(`cannot reach the Toxiproxy API at ${url}: ${errorMessage(error)}`, error);
    });
    return { api, kind: 'external', url, version, close: () => api.close() };
  }
  const server = await startProxyThread({ host: '127.0.0.1', port: 0 });
  const api = new FaultApi({ url: server.url });
  return {
    api, kind: 'builtin', url: server.url, version: await api.version(), failed: server.failed,
    close: async () => { await api.close(); await server.close(); },
  };
}

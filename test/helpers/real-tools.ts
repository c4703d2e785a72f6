import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { findOnPath, freeListenPort } from '../../lib/host/index.ts';

// The real k6 and the real Toxiproxy, when they are on PATH. Tests that need one pass
// `skip: needs('k6')` and are skipped (saying why) on a machine without it;
// scripts/real-tools-status.ts prints the same once at the start of `npm test`.

export const REAL = {
  k6: await findOnPath('k6'),
  toxiproxyServer: await findOnPath('toxiproxy-server'),
  toxiproxyCli: await findOnPath('toxiproxy-cli'),
};

type Tool = 'k6' | 'toxiproxy-server' | 'toxiproxy-cli';
const pathOf = (tool: Tool) => (tool === 'k6' ? REAL.k6 : tool === 'toxiproxy-server' ? REAL.toxiproxyServer : REAL.toxiproxyCli);

/** A node:test `skip` value: false when every tool is on PATH, else the reason. */
export function needs(...tools: Tool[]): false | string {
  const missing = tools.filter((t) => !pathOf(t));
  return missing.length ? `needs the real ${missing.join(' and ')} on PATH (see README: Real k6 and Toxiproxy)` : false;
}

/** `k6 version` / `toxiproxy-server -version`, for messages. */
export function toolVersion(tool: Tool): string | null {
  const path = pathOf(tool);
  if (!path) return null;
  const args = tool === 'k6' ? ['version'] : ['-version'];
  try {
    return execFileSync(path, args, { encoding: 'utf8', timeout: 5000 }).trim();
  } catch {
    return null;
  }
}

export interface RealToxiproxy {
  url: string;
  /** Stops the server (SIGTERM, then SIGKILL). */
  close(): Promise<void>;
}

/** Starts a real toxiproxy-server on a free port of 127.0.0.1 and waits for its API. */
export async function startRealToxiproxy(): Promise<RealToxiproxy> {
  if (!REAL.toxiproxyServer) throw new Error('toxiproxy-server is not on PATH');
  const port = await freeListenPort();
  const child = spawn(REAL.toxiproxyServer, ['-host', '127.0.0.1', '-port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`toxiproxy-server exited ${child.exitCode}: ${stderr}`);
    const up = await fetch(`${url}/version`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`toxiproxy-server did not answer on ${url}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

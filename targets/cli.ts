// What the targets' command-line entries share: "is this file the program?", host:port
// parsing, and a clean exit on SIGINT/SIGTERM.
import { realpathSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** True when the module at `moduleUrl` is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

export interface HostPort {
  host: string;
  port: number;
}

/** Parses `host:port` (or `[v6]:port`); throws an Error naming `what` otherwise. */
export function parseHostPort(value: string, what: string): HostPort {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`${what}: expected host:port (e.g. 127.0.0.1:26379), got "${value}"`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** Parses a port number (0 = any free port). */
export function parsePort(value: string | undefined, what: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${what}: expected a port 0-65535, got "${value}"`);
  return port;
}

/** Runs `start`, then closes what it returned on the first SIGINT or SIGTERM and exits. */
export function runUntilSignal(start: () => Promise<{ close(): Promise<void> }>): void {
  start().then(
    (running) => {
      const stop = (): void => {
        running.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}

/** Listens on `host:port` (0: a free port) and returns the port bound and the base URL. */
export async function listenHttp(server: Server, host: string, port: number): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return { port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
}

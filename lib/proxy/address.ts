import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

// `host:port` addresses as Toxiproxy takes them (Go's net.SplitHostPort): an IPv6 host in
// brackets (`[::1]:8474`).

export interface HostPort {
  host: string;
  port: number;
}

/** Splits `host:port`; a message in Go's words when it is not one. */
export function splitHostPort(address: string): HostPort | { error: string } {
  const colon = address.lastIndexOf(':');
  if (colon < 0) return { error: `address ${address}: missing port in address` };
  let host = address.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  else if (host.includes(':')) return { error: `address ${address}: too many colons in address` };
  const portText = address.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) return { error: `address ${portText}: invalid port` };
  return { host, port };
}

/** `host:port`, bracketing an IPv6 host. */
export function joinHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The IP to bind for a listen address's host. A name resolves to its first IPv4 address when
 * it has one (Go does the same for `localhost`). An empty host binds 127.0.0.1: a deliberate
 * deviation from Toxiproxy, which binds every interface, because faultline keeps to loopback
 * unless a host is named.
 */
export async function resolveListenHost(host: string): Promise<string> {
  if (host === '') return '127.0.0.1';
  if (isIP(host)) return host;
  const found = await lookup(host, { all: true });
  const chosen = found.find((a) => a.family === 4) ?? found[0];
  if (!chosen) throw new Error(`lookup ${host}: no such host`);
  return chosen.address;
}

/**
 * Whether `wanted` names the proxy's listen address `bound`: the same text (a disabled proxy
 * keeps the text it was given, `:0` included), or the same fixed port on the same host.
 */
export async function sameListenAddress(bound: string, wanted: string): Promise<boolean> {
  if (bound === wanted) return true;
  const parsed = splitHostPort(wanted);
  if ('error' in parsed || parsed.port === 0) return false;
  const ip = await resolveListenHost(parsed.host).catch(() => undefined);
  return ip !== undefined && joinHostPort(ip, parsed.port) === bound;
}

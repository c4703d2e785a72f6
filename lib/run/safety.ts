import { isIP } from 'node:net';
import { InvalidInputError, type InputProblem } from '../errors.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';

// Load and faults go to loopback unless the user names another host (`--allow-host`):
// a typo must not point 1000 req/s at someone else's service.

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (LOOPBACK_NAMES.has(host) || LOOPBACK_NAMES.has(bare)) return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

const hostOfUrl = (url: string) => (URL.canParse(url) ? new URL(url).hostname : null);
const hostOfAddress = (address: string) => address.slice(0, address.lastIndexOf(':'));

/** Where a run sends something: a URL (target, request, API) or a host:port (proxy). */
export interface Destination { what: string; url?: string; address?: string }

/** Checks every place traffic or faults go; throws naming each host that is not allowed. */
export function checkHosts(targets: Destination[], allowed: string[]): void {
  const problems: InputProblem[] = [];
  for (const t of targets) {
    const host = t.url !== undefined ? hostOfUrl(t.url) : hostOfAddress(t.address ?? '');
    if (host === null) {
      problems.push({ path: t.what, value: t.url, expected: 'an http(s) URL such as http://127.0.0.1:8080' });
    } else if (!isLoopback(host) && !allowed.includes(host)) {
      problems.push({ path: t.what, value: host, expected: `a loopback host (127.0.0.1, ::1, localhost), or one named with --allow-host ${host}` });
    }
  }
  if (problems.length) throw new InvalidInputError('refusing to send traffic or faults off this machine', problems);
}

/** Every place a run sends traffic or faults: the target, each request's URL, each proxy's two ends, the Toxiproxy API. */
export function runDestinations(scenario: ResolvedScenario, toxiproxyUrl: string | undefined): Destination[] {
  return [
    { what: 'target (baseUrl or TARGET_URL)', url: scenario.baseUrl },
    ...scenario.requests.map((r) => ({ what: `requests.${r.name}.url`, url: r.url })),
    ...scenario.proxies.flatMap((p) => [
      { what: `proxies.${p.name}.listen`, address: p.listen },
      { what: `proxies.${p.name}.upstream`, address: p.upstream },
    ]),
    ...(toxiproxyUrl !== undefined ? [{ what: '--toxiproxy (or TOXIPROXY_URL)', url: toxiproxyUrl }] : []),
  ];
}

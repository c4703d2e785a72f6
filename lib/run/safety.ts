import { isIP } from 'node:net';
import { InvalidInputError, type InputProblem } from '../errors.ts';

// Load and faults go to loopback unless the user names another host (`--allow-host`):
// a typo must not point 1000 req/s at someone else's service.

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (LOOPBACK_NAMES.has(host) || LOOPBACK_NAMES.has(bare)) return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

const hostOfUrl = (url: string) => new URL(url).hostname;
const hostOfAddress = (address: string) => address.slice(0, address.lastIndexOf(':'));

/** Checks every place traffic or faults go; throws naming each host that is not allowed. */
export function checkHosts(targets: { what: string; url?: string; address?: string }[], allowed: string[]): void {
  const problems: InputProblem[] = [];
  for (const t of targets) {
    const host = t.url !== undefined ? hostOfUrl(t.url) : hostOfAddress(t.address ?? '');
    if (!isLoopback(host) && !allowed.includes(host)) {
      problems.push({ path: t.what, value: host, expected: `a loopback host (127.0.0.1, ::1, localhost), or one named with --allow-host ${host}` });
    }
  }
  if (problems.length) throw new InvalidInputError('refusing to send traffic or faults off this machine', problems);
}

import { REAL, toolVersion } from '../helpers/real-tools.ts';

// Printed once at the start of `npm test`: whether the tests in test/real-tools run against
// the real k6 and Toxiproxy, or are skipped (and why). Each skipped test says so again.

const lines = ([['k6', REAL.k6], ['toxiproxy-server', REAL.toxiproxyServer], ['toxiproxy-cli', REAL.toxiproxyCli]] as const).map(([tool, path]) =>
  path ? `  ${tool}: ${toolVersion(tool)?.split('\n')[0] ?? 'version unknown'} (${path})` : `  ${tool}: NOT on PATH: the real-tools tests that need it are SKIPPED`);
const all = REAL.k6 && REAL.toxiproxyServer && REAL.toxiproxyCli;
process.stdout.write(`real tools (test/real-tools/): ${all ? 'every test runs against the real binaries' : 'some tests are skipped; build the tools with the README\'s steps'}\n${lines.join('\n')}\n`);

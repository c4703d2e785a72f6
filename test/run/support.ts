import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a scenario (plain data, no imports) to a temp .mjs file and returns its path. */
export async function writeScenario(scenario: Record<string, unknown>): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-runtest-'));
  const file = join(dir, `${String(scenario.name)}.mjs`);
  await writeFile(file, `export default ${JSON.stringify(scenario)};\n`);
  return { dir, file };
}

/** `faultline run` of `file` on the built-in engine, faulting through `apiUrl`, its run folder under `out`. */
export const builtinRunArgs = (file: string, apiUrl: string, out: string) => ['run', file, '--engine', 'builtin', '--toxiproxy', apiUrl, '--out', out];

export const loop = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await loop(20);
  }
}

interface ProxyState { name: string; enabled: boolean; toxics: { name: string }[] }

/** GET /proxies of a Toxiproxy API: each proxy with its toxics. */
export async function proxyStates(apiUrl: string): Promise<ProxyState[]> {
  const res = await fetch(`${apiUrl}/proxies`);
  return Object.values((await res.json()) as Record<string, ProxyState>);
}

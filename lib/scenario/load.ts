import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { InvalidInputError } from '../errors.ts';
import { resolveFaultline } from './resolve-faultline.ts';
import { resolveScenario, type Resolution, type ResolveOptions } from './validate.ts';

/** Loads and validates a scenario file; its problems name the file. */
export async function loadScenario(file: string, options: ResolveOptions = {}): Promise<Resolution & { definition: unknown }> {
  const definition = await loadScenarioFile(file);
  try {
    return { ...resolveScenario(definition, options), definition };
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidInputError(`invalid scenario ${file}`, error.problems);
    throw error;
  }
}

/**
 * Imports a scenario file (.ts or .js) and returns its default export, not yet validated.
 * The file is bundled with esbuild first, so TypeScript loads directly and `faultline`
 * resolves the same way as in the k6 bundle.
 */
export async function loadScenarioFile(file: string): Promise<unknown> {
  const path = resolve(file);
  await checkReadable(file);
  const dir = await mkdtemp(join(tmpdir(), 'faultline-scenario-'));
  const outfile = join(dir, 'scenario.mjs');
  try {
    await bundleForNode(path, outfile, file);
    const module = (await import(pathToFileURL(outfile).href)) as { default?: unknown };
    if (module.default === undefined) {
      throw new InvalidInputError(`no scenario in ${file}`, [{ path: `${file} (default export)`, expected: 'export default defineScenario({...})' }]);
    }
    return module.default;
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InvalidInputError(`cannot load scenario ${file}`, [{ path: file, value: reason, expected: 'a module that loads without errors' }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Throws, naming the file, when a scenario file cannot be read (before esbuild's less direct words). */
export async function checkReadable(file: string): Promise<void> {
  try {
    await access(resolve(file), constants.R_OK);
  } catch {
    throw new InvalidInputError(`cannot read scenario ${file}`, [{ path: file, expected: 'a readable scenario file (.ts or .js)' }]);
  }
}

async function bundleForNode(path: string, outfile: string, file: string): Promise<void> {
  try {
    await esbuild.build({
      entryPoints: [path], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20',
      plugins: [resolveFaultline], logLevel: 'silent',
    });
  } catch (error) {
    const messages = (error as { errors?: esbuild.Message[] }).errors ?? [];
    throw new InvalidInputError(`cannot load scenario ${file}`, messages.map((m) => ({
      path: m.location ? `${m.location.file}:${m.location.line}:${m.location.column}` : file,
      expected: `code that compiles (${m.text})`,
    })));
  }
}

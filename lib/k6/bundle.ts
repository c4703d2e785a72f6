import { builtinModules } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { InvalidInputError } from '../errors.ts';
import { checkReadable } from '../scenario/load.ts';
import { resolveFaultline } from '../scenario/resolve-faultline.ts';

const RUNTIME = fileURLToPath(new URL('./runtime/index.ts', import.meta.url));

/**
 * The newest JavaScript k6 v0.49 parses: ES2017. Object spread (ES2018) and later syntax
 * fail with a SyntaxError and exit 107 (the table in test/fixtures/k6/README.md).
 */
export const K6_TARGET = 'es2017';

export interface BundleOptions {
  /** Where the bundle goes: `<outDir>/<scenario name>.js`. */
  outDir: string;
  /** The scenario's name (validated), used for the file name. */
  name: string;
  /** Compile the fault timeline into the script (`--timeline-in-k6`). */
  timelineInK6?: boolean;
}

/** Bundles one scenario file into a k6 script: ESM, `k6`/`k6/*` external, dependencies inlined. */
export async function bundleScenario(file: string, options: BundleOptions): Promise<string> {
  const outFile = join(options.outDir, `${options.name}.js`);
  await mkdir(options.outDir, { recursive: true });
  await build(file, options, { outfile: outFile });
  return outFile;
}

/**
 * Throws what `bundleScenario` would throw (a Node built-in, an import that does not
 * resolve, code that does not compile), writing nothing: for `faultline validate`, and for
 * `faultline run` before it sends anything when the engine is k6.
 */
export async function checkBundle(file: string, options: Pick<BundleOptions, 'timelineInK6'> = {}): Promise<void> {
  await build(file, { name: 'check', ...options }, { write: false });
}

async function build(file: string, options: Omit<BundleOptions, 'outDir'>, output: { outfile: string } | { write: false }): Promise<void> {
  await checkReadable(file);
  const scenarioPath = resolve(file);
  const entry = [
    `import scenario from ${JSON.stringify(scenarioPath)};`,
    `import { createK6Script, createK6ScriptWithTimeline } from ${JSON.stringify(RUNTIME)};`,
    ...(options.timelineInK6
      ? ['const script = createK6ScriptWithTimeline(scenario);', 'export const faultlineTimeline = script.timeline;',
        'export const setup = script.setup;', 'export const teardown = script.teardown;']
      : ['const script = createK6Script(scenario);']),
    'export const options = script.options;',
    'export default script.iteration;',
  ].join('\n');
  try {
    await esbuild.build({
      stdin: { contents: entry, resolveDir: dirname(scenarioPath), sourcefile: 'faultline-entry.js', loader: 'js' },
      ...output,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: K6_TARGET,
      external: ['k6', 'k6/*'],
      plugins: [rejectNodeBuiltins, resolveFaultline],
      logLevel: 'silent',
      legalComments: 'none',
      banner: { js: `// ${options.name}: k6 script bundled by faultline from ${relative(process.cwd(), scenarioPath)}` },
    });
  } catch (error) {
    throw bundleError(file, error);
  }
}

const NODE_BUILTINS = new Set(builtinModules);

/** k6 is not Node: a scenario (or a dependency) importing a Node built-in cannot run there. */
const rejectNodeBuiltins: esbuild.Plugin = {
  name: 'faultline-no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (!args.path.startsWith('node:') && !NODE_BUILTINS.has(args.path)) return undefined;
      return { errors: [{ text: `imports the Node built-in "${args.path}", which k6 does not provide` }] };
    });
  },
};

function bundleError(file: string, error: unknown): InvalidInputError {
  const failures = (error as { errors?: esbuild.Message[] }).errors;
  if (!failures?.length) return new InvalidInputError(`cannot bundle ${file}`, [{ path: file, value: String(error), expected: 'a scenario esbuild can bundle' }]);
  return new InvalidInputError(
    `cannot bundle ${file} for k6`,
    failures.map((m) => ({
      path: m.location ? `${m.location.file}:${m.location.line}:${m.location.column}` : file,
      expected: m.text.startsWith('imports the Node built-in') ? `no Node built-ins in a k6 script (${m.text})` : `code that bundles (${m.text})`,
    })),
  );
}

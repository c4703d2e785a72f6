import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

const PUBLIC_API = fileURLToPath(new URL('../index.ts', import.meta.url));

/**
 * esbuild plugin: `import ... from 'faultline'` resolves the normal way (node_modules, or
 * the package's own `exports` inside this repository); a scenario kept where no faultline
 * is installed gets the API of the faultline that is bundling it.
 */
export const resolveFaultline: Plugin = {
  name: 'faultline-public-api',
  setup(build) {
    build.onResolve({ filter: /^faultline$/ }, async (args) => {
      if (args.pluginData === 'fallback') return undefined;
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'fallback' });
      return found.errors.length === 0 ? { path: found.path } : { path: PUBLIC_API };
    });
  },
};

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
export const FAULTLINE_VERSION = version;

const require = createRequire(import.meta.url);
export const UNDICI_VERSION = (JSON.parse(readFileSync(require.resolve('undici/package.json'), 'utf8')) as { version: string }).version;

/** The version line of an executable (`k6 version`), or undefined when it cannot say. */
export async function toolVersion(path: string, args = ['version']): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)(path, args, { timeout: 5000 });
    return stdout.trim().split('\n')[0];
  } catch {
    return undefined;
  }
}

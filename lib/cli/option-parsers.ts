import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidInputError } from '../errors.ts';
import type { RunOptions } from '../run/index.ts';

// Option parsers for commander: each checks one option at argument parsing, before a
// command does anything, and names the option, the value and what was expected.

/** `--engine`: k6 when on PATH (auto), the built-in engine, or k6. */
export const ENGINES = ['auto', 'builtin', 'k6'] as const satisfies ReadonlyArray<RunOptions['engine']>;
export type Engine = (typeof ENGINES)[number];

/** Parses a positive number option (`--rate 500`), naming the option when it is not one. */
export function positiveNumber(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidInputError(`bad ${option}`, [{ path: option, value, expected: 'a number above 0' }]);
    return n;
  };
}

/** Parses an option with a fixed set of values (`--engine auto|builtin|k6`). */
export function oneOf<T extends string>(option: string, values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) {
      throw new InvalidInputError(`bad ${option}`, [{ path: option, value, expected: `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` }]);
    }
    return value as T;
  };
}

/** Parses an http(s) URL option (`--toxiproxy http://127.0.0.1:8474`); `example` shows one. */
export function httpUrl(option: string, example: string) {
  return (value: string): string => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname) {
      throw new InvalidInputError(`bad ${option}`, [{ path: option, value, expected: `an http(s) URL such as ${example}` }]);
    }
    return value;
  };
}

const TOXIPROXY_EXAMPLE = 'http://127.0.0.1:8474';

/** `--toxiproxy URL`, checked at parsing. */
export const toxiproxyUrl = httpUrl('--toxiproxy', TOXIPROXY_EXAMPLE);

/** The Toxiproxy API to use: `--toxiproxy`, else `$TOXIPROXY_URL` (empty counts as unset), checked alike. */
export function toxiproxyUrlFrom(option: string | undefined): string | undefined {
  const env = process.env.TOXIPROXY_URL;
  return option ?? (env ? httpUrl('TOXIPROXY_URL', TOXIPROXY_EXAMPLE)(env) : undefined);
}

/**
 * Parses a folder option (`--out results/runs`): an existing folder this process can write
 * to, or a path where one can be created (no file in the way). Checked at parsing, so a
 * typo fails before any traffic or fault rather than when the results are written.
 */
export function folder(option: string) {
  return (value: string): string => {
    const path = resolve(value);
    const blocker = folderBlocker(path);
    if (blocker) {
      const expected = blocker.at === path ? `a folder, but it ${blocker.why}` : `a folder (or a path where one can be created), but ${blocker.at} ${blocker.why}`;
      throw new InvalidInputError(`bad ${option}`, [{ path: option, value, expected }]);
    }
    return value;
  };
}

/** Parses an output file option (`--out baseline.json`): not a folder, in a folder that is there or can be created. */
export function outputFile(option: string) {
  return (value: string): string => {
    const path = resolve(value);
    const blocker = isFolder(path) ? { at: path, why: 'is a folder' } : folderBlocker(dirname(path));
    if (blocker) throw new InvalidInputError(`bad ${option}`, [{ path: option, value, expected: `a file path, but ${blocker.at} ${blocker.why}` }]);
    return value;
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What keeps `path` from being a writable folder: a file on the way, no write permission. */
function folderBlocker(path: string): { at: string; why: string } | undefined {
  for (let at = path; ; at = dirname(at)) {
    let folderHere: boolean;
    try {
      folderHere = statSync(at).isDirectory();
    } catch (error) {
      // Not there (ENOENT), or a file on the way (ENOTDIR): look at the folder above.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(at) !== at) continue;
      return { at, why: `cannot be read (${code})` };
    }
    if (!folderHere) return { at, why: 'is a file' };
    try {
      accessSync(at, constants.W_OK);
      return undefined;
    } catch {
      return { at, why: 'is not writable' };
    }
  }
}

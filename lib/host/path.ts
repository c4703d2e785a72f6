import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The full path of executable `name` in a folder of PATH, or null. */
export async function findOnPath(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch { /* not here */ }
  }
  return null;
}

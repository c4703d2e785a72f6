import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

// Reports opened in a real headless Chromium (Debian's `chromium` package, installed by
// .ci/run): offline, in a fresh profile each time, collecting the page's errors.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The skip reason when there is no Chromium, or false. */
export const NO_CHROMIUM: string | false = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;

/** Runs `body` with a page of a fresh offline browser; closes the browser (and its profile) on every path. */
export async function withReportPage<T>(body: (page: Page, errors: string[]) => Promise<T>): Promise<T> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'faultline-chromium-'));
  // A persistent context is how playwright takes a user data dir of our choosing; it owns the browser process.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1200, height: 900 }, offline: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    return await body(page, errors);
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeReports } from '../../lib/report/index.ts';
import { makeRun } from './fixture.ts';
import { NO_CHROMIUM, withReportPage } from '../helpers/browser.ts';

// report.html opened in a real headless Chromium (Debian's `chromium` package): the charts
// must render offline from the one file. CI installs chromium (see .ci/run); on a developer
// machine without it the browser test is skipped with a message.

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
if (NO_CHROMIUM && process.env.CI) throw new Error(`CI must install Chromium for the report.html test: ${NO_CHROMIUM}`);

// Runs in the page (kept as text: the test compiles without DOM types). Counts the pixels
// of each chart canvas that are neither transparent nor near-white: lines, bands, axes.
const INK_PER_CANVAS = `[...document.querySelectorAll('.chart canvas')].map((c) => {
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) inked++;
  return { width: c.width, height: c.height, inked };
})`;

let dir = '';
let html = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-html-'));
  const run = makeRun({ settleOffMs: null });
  run.warnings.push('<script>alert("x")</script> k6 CSV stamps whole seconds');
  run.scenario.name = 'redis-outage <b>&</b>';
  await writeReports(run, dir);
  // A run that measured nothing (aborted at once) must still give a page that loads.
  await writeReports({ ...makeRun(), series: [], phases: [], transitions: [], slo: [] }, join(dir, 'empty'));
  html = await readFile(join(dir, 'report.html'), 'utf8');
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('report.html is one self-contained file with the summary inline and every text escaped', () => {
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/i, 'no external script, stylesheet or image');
  assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)[^"'\s)]*\.(js|css)/i);
  assert.match(html, /<script type="application\/json" id="faultline-summary">/);
  assert.ok(!html.includes('<script>alert'), 'warning text is escaped');
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
  assert.ok(html.includes('redis-outage &lt;b&gt;&amp;&lt;/b&gt;'));
  assert.match(html, /never settled/);
});

test('report.html renders its charts in headless Chromium', { skip: NO_CHROMIUM, timeout: 60_000 }, async () => {
  await withReportPage(async (page, errors) => {
    await page.goto(`file://${join(dir, 'report.html')}`);
    await page.waitForSelector('#chart-errors canvas');
    const canvases = (await page.evaluate(INK_PER_CANVAS)) as { width: number; height: number; inked: number }[];
    assert.equal(canvases.length, 2, 'a latency chart and an error-rate chart');
    for (const c of canvases) {
      assert.ok(c.width > 300 && c.height > 200, `canvas size ${c.width}x${c.height}`);
      assert.ok(c.inked > 2000, `canvas has drawn pixels (${c.inked})`);
    }
    assert.deepEqual(errors, []);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.goto(`file://${join(dir, 'empty', 'report.html')}`);
    await page.waitForSelector('#chart-errors canvas');
    assert.deepEqual(errors, [], 'an empty run renders without errors');
  });
});

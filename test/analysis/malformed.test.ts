import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { InvalidInputError } from '../../lib/errors.ts';
import { analyzeRun } from '../../lib/analysis/index.ts';
import { RECORDED, tempDir, writeTemp } from './synthetic.ts';

// Bad input: a bad line is reported with its number and skipped, the rest still counts;
// a file that cannot be read at all is InvalidInputError (exit 2).

const recordedText = async () => gunzipSync(await readFile(join(RECORDED, 'run-with-errors.json.gz'))).toString('utf8');

test('a corrupt line is reported with its line number and skipped without losing the rest', async () => {
  const lines = (await recordedText()).split('\n');
  // Corrupt the http_req_failed point of the first failed request: that request stays
  // counted (its other lines are intact) but is no longer known to have failed.
  const at = lines.findIndex((l) => l.startsWith('{"metric":"http_req_failed"') && l.includes('"value":1,'));
  lines[at] = lines[at]!.replace('"value":1,', '"value":1,,,}');
  const dir = await tempDir();
  const file = await writeTemp(dir, 'corrupt.json', lines.join('\n'));
  const { summary } = await analyzeRun({ samplesFile: file });
  assert.equal(summary.load.requests, 601);
  assert.equal(summary.overall.errors, 65);
  assert.equal(summary.inputs?.[0]?.skippedLines, 1);
  assert.ok(summary.warnings.some((w) => w.includes(`line ${at + 1}: corrupt JSON`)), summary.warnings.join('\n'));
});

test('a truncated last line is reported and the lines before it are kept', async () => {
  const text = (await recordedText()).trimEnd();
  const cut = text.slice(0, text.length - 40); // the last line loses its end
  const dir = await tempDir();
  const file = await writeTemp(dir, 'cut.json', cut);
  const lineCount = cut.split('\n').length;
  const { summary } = await analyzeRun({ samplesFile: file });
  assert.equal(summary.load.requests, 601);
  assert.ok(summary.warnings.some((w) => w.includes(`line ${lineCount}: not a complete JSON object`)), summary.warnings.join('\n'));
});

test('a truncated gzip file: the lines before the cut are analysed, the cut is reported', async () => {
  const gz = await readFile(join(RECORDED, 'run-with-errors.json.gz'));
  const dir = await tempDir();
  // Named .json on purpose: gzip is detected by its magic bytes, not the name.
  const file = await writeTemp(dir, 'cut-samples.json', gz.subarray(0, Math.floor(gz.length / 2)));
  const { summary } = await analyzeRun({ samplesFile: file });
  assert.ok(summary.load.requests > 100 && summary.load.requests < 601, String(summary.load.requests));
  assert.ok(summary.warnings.some((w) => /gzip stream ended with an error after line \d+/.test(w)), summary.warnings.join('\n'));
});

test('a truncated CSV last line is reported', async () => {
  const csv = gunzipSync(await readFile(join(RECORDED, 'run-with-errors.nano.csv.gz'))).toString('utf8').trimEnd();
  const dir = await tempDir();
  const file = await writeTemp(dir, 'cut.csv.gz', csv.slice(0, csv.length - 5), true);
  const { summary } = await analyzeRun({ samplesFile: file });
  assert.equal(summary.load.requests, 601);
  assert.ok(summary.warnings.some((w) => /line \d+: expected 19 CSV columns/.test(w)), summary.warnings.join('\n'));
});

test('a missing, empty or unknown file is bad input (InvalidInputError, exit 2)', async () => {
  const dir = await tempDir();
  await assert.rejects(analyzeRun({ samplesFile: join(dir, 'nope.json.gz') }), InvalidInputError);
  await assert.rejects(analyzeRun({ samplesFile: await writeTemp(dir, 'empty.json', '') }), InvalidInputError);
  await assert.rejects(analyzeRun({ samplesFile: await writeTemp(dir, 'text.gz', gzipSync('hello\nworld\n')) }), /unknown samples format/);
  await assert.rejects(analyzeRun({ samplesFile: dir }), InvalidInputError);
  const samples = join(RECORDED, 'run-with-errors.json.gz');
  await assert.rejects(analyzeRun({ samplesFile: samples, eventsFile: join(dir, 'no-events.json') }), InvalidInputError);
  const badEvents = await writeTemp(dir, 'events.json', JSON.stringify({ t0: 'yesterday', events: [{ edge: 'up' }] }));
  await assert.rejects(analyzeRun({ samplesFile: samples, eventsFile: badEvents }), (e: InvalidInputError) => {
    assert.deepEqual(e.problems.map((p) => p.path), ['t0', 'events[0].edge', 'events[0].proxy', 'events[0].type']);
    return true;
  });
});

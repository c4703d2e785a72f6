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

test('a last line cut mid-way is reported as the run cut short, not as a bad line, and the lines before it are kept', async () => {
  const text = (await recordedText()).trimEnd();
  const cut = text.slice(0, text.length - 40); // the last line loses its end
  const dir = await tempDir();
  const file = await writeTemp(dir, 'cut.json', cut);
  const lineCount = cut.split('\n').length;
  const { summary } = await analyzeRun({ samplesFile: file });
  assert.equal(summary.load.requests, 601);
  assert.equal(summary.inputs?.[0]?.skippedLines, 0);
  const expected = new RegExp(`the run was cut short: the samples end abruptly \\(in the middle of a line\\).*the ${lineCount - 1} complete lines before the cut were analysed; line ${lineCount}, cut mid-way, was left out`);
  assert.ok(summary.warnings.some((w) => expected.test(w)), summary.warnings.join('\n'));
});

test('a gzip file cut short: the lines before the cut are analysed, the run is reported cut short', async () => {
  const gz = await readFile(join(RECORDED, 'run-with-errors.json.gz'));
  const dir = await tempDir();
  // Named .json on purpose: gzip is detected by its magic bytes, not the name.
  const file = await writeTemp(dir, 'cut-samples.json', gz.subarray(0, Math.floor(gz.length / 2)));
  const { summary } = await analyzeRun({ samplesFile: file });
  assert.ok(summary.load.requests > 100 && summary.load.requests < 601, String(summary.load.requests));
  assert.equal(summary.inputs?.[0]?.skippedLines, 0);
  const lines = summary.inputs![0]!.lines;
  const cut = new RegExp(`the run was cut short: the samples end abruptly \\(a gzip stream with no end: unexpected end of file\\).*the ${lines} complete lines before the cut were analysed; line ${lines + 1}, cut mid-way, was left out`);
  assert.ok(summary.warnings.some((w) => cut.test(w)), summary.warnings.join('\n'));
});

test('a gzip file cut right after its header has no samples: bad input, saying the run was cut short', async () => {
  const dir = await tempDir();
  const file = await writeTemp(dir, 'header-only.json.gz', gzipSync('').subarray(0, 10));
  await assert.rejects(analyzeRun({ samplesFile: file }), /no samples in .*: the run was cut short before its first samples were written/);
});

test('a truncated CSV last line is reported as the run cut short', async () => {
  const csv = gunzipSync(await readFile(join(RECORDED, 'run-with-errors.nano.csv.gz'))).toString('utf8').trimEnd();
  const dir = await tempDir();
  const file = await writeTemp(dir, 'cut.csv.gz', csv.slice(0, csv.length - 5), true);
  const { summary } = await analyzeRun({ samplesFile: file });
  assert.equal(summary.load.requests, 601);
  assert.equal(summary.inputs?.[0]?.skippedLines, 0);
  assert.ok(summary.warnings.some((w) => /the samples end abruptly \(in the middle of a line\).*line \d+, cut mid-way, was left out/.test(w)), summary.warnings.join('\n'));
});

test('an events.json that is not final (complete: false) is analysed as it is, with a warning that the run was cut short', async () => {
  const firstTime = /"time":"([^"]+)"/.exec(await recordedText())![1]!;
  const dir = await tempDir();
  const events = { schemaVersion: 1, t0: firstTime, events: [], complete: false };
  const notFinal = await writeTemp(dir, 'events.json', JSON.stringify(events));
  const { summary } = await analyzeRun({ samplesFile: join(RECORDED, 'run-with-errors.json.gz'), eventsFile: notFinal });
  assert.equal(summary.load.requests, 601);
  assert.ok(summary.warnings.some((w) => w.startsWith('the run was cut short: events.json is not final')), summary.warnings.join('\n'));
  const final = await writeTemp(dir, 'final.json', JSON.stringify({ ...events, complete: true }));
  const again = await analyzeRun({ samplesFile: join(RECORDED, 'run-with-errors.json.gz'), eventsFile: final });
  assert.ok(!again.summary.warnings.some((w) => w.includes('cut short')), again.summary.warnings.join('\n'));
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

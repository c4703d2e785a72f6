import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { analyzeRun, type Summary } from '../../lib/analysis/index.ts';
import { RECORDED, tempDir, writeTemp } from './synthetic.ts';

// The real k6 v0.49 recordings: our counts against k6's own summary-export, and the JSON
// and CSV outputs of one run against each other.

const JSON_GZ = join(RECORDED, 'run-with-errors.json.gz');
const CSV_GZ = join(RECORDED, 'run-with-errors.csv.gz');
const NANO_CSV_GZ = join(RECORDED, 'run-with-errors.nano.csv.gz');
const HDR_PRECISION = 0.001; // 3 significant digits

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= expected * HDR_PRECISION + 0.001, `${what}: ${actual} vs k6 ${expected}`);

test('the recorded k6 JSON run gives k6\'s own counts and percentiles (summary-export)', async () => {
  const k6 = JSON.parse(await readFile(join(RECORDED, 'run-with-errors.summary-export.json'), 'utf8')).metrics;
  const { summary } = await analyzeRun({ samplesFile: JSON_GZ });
  assert.equal(summary.load.requests, k6.http_reqs.count);
  assert.equal(summary.load.requests, 601);
  assert.equal(summary.overall.errors, k6.http_req_failed.passes);
  assert.equal(summary.overall.errors, 66);
  assert.equal(summary.overall.errorRate, k6.http_req_failed.value);
  assert.equal(summary.overall.max, k6.http_req_duration.max);
  close(summary.overall.p50, k6.http_req_duration.med, 'p50');
  close(summary.overall.p90, k6.http_req_duration['p(90)'], 'p90');
  close(summary.overall.p95, k6.http_req_duration['p(95)'], 'p95');
  assert.equal(summary.series.reduce((n, s) => n + s.requests, 0), 601);
  assert.deepEqual(summary.inputs?.[0]?.skippedLines, 0);
});

test('k6 JSON and CSV of the same run: same counts and percentiles; whole-second CSV is flagged as coarse', async () => {
  const json = (await analyzeRun({ samplesFile: JSON_GZ })).summary;
  const csv = (await analyzeRun({ samplesFile: CSV_GZ })).summary;
  assert.deepEqual(csv.overall, json.overall);
  assert.equal(csv.inputs?.[0]?.format, 'k6-csv');
  assert.ok(csv.warnings.some((w) => /whole-second/.test(w) && /K6_CSV_TIME_FORMAT=rfc3339_nano/.test(w)), csv.warnings.join('\n'));
  assert.ok(!json.warnings.some((w) => /whole-second/.test(w)));
});

test('k6 CSV with nanosecond times gives the same summary as k6 JSON', async () => {
  // The recorded nano CSV is a second run of the script: same counts (601 / 66).
  const nano = (await analyzeRun({ samplesFile: NANO_CSV_GZ })).summary;
  assert.equal(nano.load.requests, 601);
  assert.equal(nano.overall.errors, 66);
  assert.ok(!nano.warnings.some((w) => /whole-second/.test(w)));
  // The JSON recording written as k6's nano CSV (same points, k6's CSV columns): the whole summary matches.
  const dir = await tempDir();
  const csvFile = await writeTemp(dir, 'same-run.nano.csv', jsonToNanoCsv(gunzipSync(await readFile(JSON_GZ)).toString('utf8')), true);
  const fromJson = (await analyzeRun({ samplesFile: JSON_GZ })).summary;
  const fromCsv = (await analyzeRun({ samplesFile: csvFile })).summary;
  assert.deepEqual(withoutInputs(fromCsv), withoutInputs(fromJson));
});

test('an SLO with a tag filter reads the tag from JSON and CSV alike', async () => {
  const scenario = { name: 'rwe', targetRate: 200, slo: [{ measure: 'http_req_duration{name:verify}', conditions: ['p(99)<500', 'max<5ms'] }, { measure: 'http_req_failed', conditions: ['rate<0.5'] }] };
  for (const file of [JSON_GZ, CSV_GZ]) {
    const { summary } = await analyzeRun({ samplesFile: file, scenario });
    assert.deepEqual(summary.slo.map((r) => r.pass), [true, false, true], file);
    assert.equal(summary.slo[1]?.observed, 5.702191);
    assert.equal(summary.verdict, 'fail');
  }
});

function withoutInputs(s: Summary) {
  const { inputs: _inputs, ...rest } = s;
  return rest;
}

const CSV_HEADER = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
const COLUMNS = CSV_HEADER.split(',');

function jsonToNanoCsv(text: string): string {
  const rows = [CSV_HEADER];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const doc = JSON.parse(line);
    if (doc.type !== 'Point') continue;
    const tags = doc.data.tags ?? {};
    const cells = COLUMNS.map((c) => (c === 'metric_name' ? doc.metric : c === 'timestamp' ? doc.data.time : c === 'metric_value' ? Number(doc.data.value).toFixed(6) : (tags[c] ?? '')));
    rows.push(cells.join(','));
  }
  return `${rows.join('\n')}\n`;
}

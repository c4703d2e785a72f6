import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selectProcess } from '../../lib/processes/index.ts';
import { startMarkedProcess, tempStateDir } from './support.ts';

test('a match names exactly one process of this user; none or several is a problem that lists them', async () => {
  const one = await startMarkedProcess();
  const twins = [await startMarkedProcess('faultline-twin-x'), await startMarkedProcess('faultline-twin-x')];
  try {
    const found = await selectProcess({ match: one.mark });
    assert.ok('found' in found, JSON.stringify(found));
    assert.equal(found.found.pid, one.pid);

    const none = await selectProcess({ match: 'faultline-no-such-process' });
    assert.ok('problem' in none);
    assert.match(none.problem, /no process of this user has "faultline-no-such-process"/);

    const several = await selectProcess({ match: 'faultline-twin-x' });
    assert.ok('problem' in several);
    assert.match(several.problem, /2 processes match "faultline-twin-x"/);
    for (const t of twins) assert.ok(several.problem.includes(String(t.pid)), several.problem);
  } finally {
    await Promise.all([one, ...twins].map((p) => p.stop()));
  }
});

test('a match never names this process or its ancestors, whose command lines may hold the pattern', async () => {
  // This test's own command line holds its file name; only this process (and its parents) have it.
  const selection = await selectProcess({ match: 'select.test.ts' });
  assert.ok('problem' in selection, JSON.stringify(selection));
  assert.match(selection.problem, /no process/);
});

test('a pid and a pid file name a running process; a gone pid, a bad or missing file are problems', async () => {
  const p = await startMarkedProcess();
  const dir = await tempStateDir();
  try {
    const byPid = await selectProcess({ pid: p.pid });
    assert.ok('found' in byPid && byPid.found.pid === p.pid);
    await writeFile(join(dir, 'ok.pid'), `${p.pid}\n`);
    const byFile = await selectProcess({ pidFile: join(dir, 'ok.pid') });
    assert.ok('found' in byFile && byFile.found.pid === p.pid);
    await writeFile(join(dir, 'bad.pid'), 'redis\n');
    const bad = await selectProcess({ pidFile: join(dir, 'bad.pid') });
    assert.ok('problem' in bad && /holds no pid \("redis"\)/.test(bad.problem), JSON.stringify(bad));
    const missing = await selectProcess({ pidFile: join(dir, 'missing.pid') });
    assert.ok('problem' in missing && /cannot be read/.test(missing.problem));
  } finally {
    await p.stop();
  }
  const gone = await selectProcess({ pid: p.pid });
  assert.ok('problem' in gone && /is not running/.test(gone.problem), JSON.stringify(gone));
});

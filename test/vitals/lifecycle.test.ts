import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VitalsSampler } from '../../lib/vitals/index.ts';
import { startProcess } from '../helpers/run-process.ts';
import { readPoints, sleep } from './support.ts';

// The sampler's resources, a file and a timer, have one owner: stop() closes both, on any
// path (even right after start, before the first sample); and the timer alone never keeps
// the process alive.

/** Descriptors of this process open on `file`. */
async function openOn(file: string): Promise<number> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((t) => t === file).length;
}

test('stop() takes a last sample, closes the file and ends the timer, even right after start()', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-vitals-'));
  try {
    for (const runForMs of [0, 450]) {
      const file = join(dir, `vitals-${runForMs}.json`);
      const sampler = new VitalsSampler({ processes: [{ name: 'self', pid: process.pid, watch: true }], file, intervalMs: 100 });
      sampler.start();
      await sleep(runForMs);
      if (runForMs > 0) assert.equal(await openOn(file), 1, 'the file is open while sampling');
      assert.deepEqual(await sampler.stop(), []);
      assert.equal(await openOn(file), 0, 'closed by stop()');
      const { points } = await readPoints(file);
      assert.ok(points.some((p) => p.metric === 'faultline_process_rss' && p.tags.pid === String(process.pid)), `a last sample after ${runForMs} ms`);
      const size = (await stat(file)).size;
      await sleep(300);
      assert.equal((await stat(file)).size, size, 'nothing written after stop()');
      assert.deepEqual(await sampler.stop(), [], 'a second stop() is harmless');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the sampler\'s timer does not keep a process alive', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-vitals-'));
  try {
    const file = join(dir, 'vitals.json');
    const sampler = fileURLToPath(new URL('../../lib/vitals/index.ts', import.meta.url));
    // Started and never stopped: the process must still end once its own work is done (after 700 ms).
    const code = `import { VitalsSampler } from ${JSON.stringify(sampler)};
      new VitalsSampler({ processes: [{ name: 'self', pid: process.pid, watch: true }], file: ${JSON.stringify(file)}, intervalMs: 100 }).start();
      setTimeout(() => process.stdout.write('done\\n'), 700);`;
    const child = startProcess(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { timeoutMs: 20_000 });
    const result = await child.exited;
    assert.equal(result.signal, null, `ended by itself, not by the test's timeout: ${result.stderr}`);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /done/);
    assert.ok((await readFile(file, 'utf8')).includes('faultline_process_rss'), 'it sampled while it ran');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launchProcess } from '../../targets/launch.ts';

// Processes started by launchProcess (the demo's service, store and proxy) must not outlive
// their parent, even one killed with SIGKILL, which runs no cleanup at all.
const LAUNCH = fileURLToPath(new URL('../../targets/launch.ts', import.meta.url));
const PARENT = `
import { launchProcess } from ${JSON.stringify(LAUNCH)};
const server = "require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); })";
const child = await launchProcess('child', ['-e', server], /listening on (\\S+)/);
console.log('child ' + child.process.pid + ' ' + child.address);
setInterval(() => {}, 1000);
`;

test('a launched process exits when its parent is killed with SIGKILL', { timeout: 30_000 }, async () => {
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PARENT], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [pid, address] = await new Promise<[number, string]>((resolve, reject) => {
    let out = '';
    parent.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /child (\d+) (\S+)/.exec(out);
      if (m) resolve([Number(m[1]), m[2]!]);
    });
    parent.once('exit', (code) => reject(new Error(`parent exited with ${code}: ${out}`)));
  });
  assert.equal((await fetch(address)).status, 200, 'the child serves while its parent lives');
  parent.kill('SIGKILL');
  const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
  const deadline = Date.now() + 5000;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const orphaned = alive();
  if (orphaned) process.kill(pid, 'SIGKILL'); // do not leave it behind when this fails
  assert.equal(orphaned, false, `child ${pid} still running 5 s after its parent was killed`);
});

test('onLine gets every stdout line after the ready line, split at newlines, the ready line not included', { timeout: 30_000 }, async () => {
  const script = "process.stdout.write('listening on x\\nfirst\\nsec'); setTimeout(() => process.stdout.write('ond\\nthird\\n'), 50); setInterval(() => {}, 1000)";
  const lines: string[] = [];
  const child = await launchProcess('lines', ['-e', script], /listening on (\S+)/, { onLine: (line) => lines.push(line) });
  try {
    const deadline = Date.now() + 5000;
    while (lines.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(child.address, 'x');
    assert.deepEqual(lines, ['first', 'second', 'third']);
  } finally {
    await child.stop();
  }
});

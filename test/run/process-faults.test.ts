import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario, type LoadEngine } from '../../lib/run/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { startCountingServer } from '../helpers/net.ts';
import { startMarkedProcess, stateOf, tempStateDir } from '../processes/support.ts';
import { eventually, writeScenario } from './support.ts';

// A run never leaves a process fault behind: a paused process is continued, stress workers
// end, a command step's `end` runs, on every way a run can end; a killed run's are finished
// by `faultline reset`. Real processes, real signals, the CLI as a user runs it.

async function setup(extra: Record<string, unknown> = {}) {
  const target = await startCountingServer();
  const dep = await startMarkedProcess();
  const stateDir = await tempStateDir();
  const { dir, file } = await writeScenario({
    name: 'process-cleanup', target: { baseUrl: target.url },
    load: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '20s', preAllocatedVUs: 5, maxVUs: 20, gracefulStop: '1s' },
    requests: [{ name: 'get', path: '/' }],
    processes: [{ name: 'dep', match: dep.mark }],
    timeline: [
      { at: '200ms', process: 'dep', fault: { type: 'pause', attributes: {} } },
      { at: '200ms', fault: { type: 'cpu_stress', attributes: { cores: 0.5 } } },
      { at: '200ms', fault: { type: 'memory_stress', attributes: { mb: 32 } } },
      { at: '200ms', fault: { type: 'command', attributes: { timeout: 5000 }, commands: { start: 'true', end: `touch ${join(stateDir, 'ended')}` } } },
    ],
    ...extra,
  });
  const env = { FAULTLINE_STATE_DIR: stateDir };
  const close = async () => { await dep.stop(); await target.close(); };
  return { target, dep, stateDir, dir, file, env, close };
}

type Setup = Awaited<ReturnType<typeof setup>>;
/** Every step on: the process stopped, and the four undos (continue, two sets of workers, the end command) owed on disk. */
const paused = (s: Setup) => eventually(async () => {
  const file = undoFiles(s)[0];
  const owed = file ? Object.keys((JSON.parse(readFileSync(join(s.stateDir, file), 'utf8')) as { undos: object }).undos).length : 0;
  return (await stateOf(s.dep.pid)) === 'T' && owed === 4 ? true : undefined;
});
const undoFiles = (s: Setup) => readdirSync(s.stateDir).filter((f) => f.startsWith('undo-'));

/** Everything undone: the process runs, the end command ran, nothing is owed. */
async function assertUndone(s: Setup) {
  assert.notEqual(await stateOf(s.dep.pid), 'T', 'the paused process was continued');
  assert.ok(existsSync(join(s.stateDir, 'ended')), "the command step's end ran");
  assert.deepEqual(undoFiles(s), [], 'nothing owed');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} while a process is paused and stressed: continued, workers ended, end command run, exit 3`, async () => {
    const s = await setup();
    try {
      const run = startCli(['run', s.file, '--engine', 'builtin', '--out', join(s.dir, 'runs')], { env: s.env });
      await paused(s);
      run.kill(signal);
      const { code, stderr } = await run.exited;
      assert.equal(code, 3, stderr);
      await assertUndone(s);
      assert.doesNotMatch(execSync('ps -eo args').toString(), /cpu-burner\.js 0\.5|memory-hog\.js 32 /, 'no stress worker left');
    } finally {
      await s.close();
    }
  });
}

test('an exception mid-fault undoes the process faults before it propagates', async () => {
  const s = await setup();
  process.env.FAULTLINE_STATE_DIR = s.stateDir;
  try {
    const failing = (): LoadEngine => ({
      name: 'builtin',
      async run(ctx) {
        ctx.onStart(performance.timeOrigin + performance.now());
        await paused(s);
        throw new Error('engine blew up');
      },
    });
    await assert.rejects(runScenario({ scenarioFile: s.file, engine: 'builtin', outRoot: s.dir, commandLine: ['test'], engineFor: failing }), /engine blew up/);
    await assertUndone(s);
  } finally {
    delete process.env.FAULTLINE_STATE_DIR;
    await s.close();
  }
});

test('a guardrail abort undoes the process faults', async () => {
  // Every answer counts as failed (200 is not expected), so the guardrail trips after 1 s.
  const s = await setup({
    requests: [{ name: 'get', path: '/', expect: { status: [201] } }],
    guardrails: [{ measure: 'errorRate', above: 0.5, for: '1s' }],
  });
  try {
    const r = await runCli(['run', s.file, '--engine', 'builtin', '--out', join(s.dir, 'runs')], { env: s.env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /guardrail/i);
    await assertUndone(s);
  } finally {
    await s.close();
  }
});

test('kill -9 leaves the process paused; `faultline reset` continues it and runs the owed end command', async () => {
  const s = await setup();
  try {
    const run = startCli(['run', s.file, '--engine', 'builtin', '--out', join(s.dir, 'runs')], { env: s.env });
    await paused(s);
    run.kill('SIGKILL');
    await run.exited;
    assert.equal(await stateOf(s.dep.pid), 'T', 'kill -9 left it paused');
    // The stress workers went with their parent, before any reset: their stdin closed.
    await eventually(async () => (/cpu-burner\.js 0\.5|memory-hog\.js 32 /.test(execSync('ps -eo args').toString()) ? undefined : true), 3000);
    assert.equal(undoFiles(s).length, 1);
    const reset = await runCli(['reset'], { env: { ...s.env, TOXIPROXY_URL: undefined } });
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, new RegExp(`undone: step 0 \\(pause on dep\\): SIGCONT sent to pid ${s.dep.pid}`));
    assert.match(reset.stdout, /undone: step 3 \(command on host\): ran `touch /);
    assert.match(reset.stdout, /undone: step 1 \(cpu_stress on host\): 0 of 1 workers were still running/);
    await assertUndone(s);
  } finally {
    await s.close();
  }
});

test('a process match that names none, or a pause with no process, is refused with exit 2 before any traffic', async () => {
  const s = await setup();
  try {
    const none = await writeScenario({
      name: 'bad-match', target: { baseUrl: s.target.url },
      load: { executor: 'constant-arrival-rate', rate: 50, duration: '2s' },
      requests: [{ name: 'get', path: '/' }],
      processes: [{ name: 'dep', match: 'faultline-no-such-process' }],
      timeline: [{ at: '1s', process: 'dep', fault: { type: 'pause', attributes: {} } }],
    });
    const r = await runCli(['run', none.file, '--engine', 'builtin', '--out', join(s.dir, 'runs')], { env: s.env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /processes\[0\] \(dep\): got "match \\"faultline-no-such-process\\"", expected exactly one running process of this user: no process of this user has/);

    const noProcess = await writeScenario({
      name: 'no-process', target: { baseUrl: s.target.url },
      load: { executor: 'constant-arrival-rate', rate: 50, duration: '2s' },
      requests: [{ name: 'get', path: '/' }],
      timeline: [{ at: '1s', fault: { type: 'pause', attributes: {} } }, { at: '1s', process: 'dep', fault: { type: 'latency', attributes: { latency: 5 } } }],
    });
    const r2 = await runCli(['run', noProcess.file, '--engine', 'builtin', '--out', join(s.dir, 'runs')], { env: s.env });
    assert.equal(r2.code, 2, r2.stderr);
    assert.match(r2.stderr, /timeline\[0\]\.process: expected the name of a process declared in processes \(pause acts on one\)/);
    assert.match(r2.stderr, /timeline\[1\]\.process: got "dep", expected no process: latency is a network fault, on a proxy/);
    assert.equal(s.target.arrivals.length, 0, 'no traffic');
    assert.notEqual(await stateOf(s.dep.pid), 'T');
  } finally {
    await s.close();
  }
});

test('build --timeline-in-k6 refuses a process step, naming it', async () => {
  const s = await setup();
  try {
    const r = await runCli(['build', s.file, '--timeline-in-k6', '--out-dir', join(s.dir, 'dist')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--timeline-in-k6 cannot switch process faults/);
    assert.match(r.stderr, /timeline\[0\]: got "pause on dep", expected a network fault/);
    assert.match(r.stderr, /timeline\[1\]: got "cpu_stress on host"/);
    assert.match(r.stderr, /timeline\[2\]: got "memory_stress on host"/);
    assert.ok(!existsSync(join(s.dir, 'dist')), 'no bundle written');
  } finally {
    await s.close();
  }
});

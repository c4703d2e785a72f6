import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../../lib/errors.ts';
import { command, cpuStress, latency, pause, resolveScenario, restart } from '../../lib/scenario/index.ts';

// The scenario rules of process steps: what each names, what each needs, what each refuses.

const base = {
  name: 'p', target: { baseUrl: 'http://127.0.0.1:9' },
  load: { executor: 'constant-arrival-rate', rate: 10, duration: '10s' },
  requests: [{ name: 'get', path: '/' }],
  proxies: [{ name: 'store', listen: '127.0.0.1:1', upstream: '127.0.0.1:2' }],
  processes: [{ name: 'redis', match: 'redis-server 127.0.0.1:6390' }],
};

function problems(extra: Record<string, unknown>): string[] {
  try {
    resolveScenario({ ...base, ...extra });
  } catch (error) {
    if (error instanceof InvalidInputError) return error.problems.map((p) => `${p.path}: ${p.expected}`);
    throw error;
  }
  return [];
}

test('process steps resolve with their target, and the helpers build what the schema takes', () => {
  const { scenario } = resolveScenario({
    ...base,
    timeline: [
      { at: '1s', for: '2s', process: 'redis', fault: pause() },
      { at: '4s', for: '1s', process: 'redis', fault: restart({ start: 'redis-server --daemonize yes', timeout: '3s' }) },
      { at: '1s', for: '1s', fault: cpuStress({ cores: 1 }) },
      { at: '6s', fault: command({ start: 'echo a', end: 'echo b' }) },
      { at: '1s', for: '1s', proxy: 'store', fault: latency({ latency: 5 }) },
    ],
  });
  assert.deepEqual(scenario.timeline.map((s) => [s.targetKind, s.target, s.fault.type]), [
    ['process', 'redis', 'pause'], ['process', 'redis', 'restart'], ['host', 'host', 'cpu_stress'], ['host', 'host', 'command'], ['proxy', 'store', 'latency'],
  ]);
  assert.deepEqual(scenario.timeline[1]!.fault, { type: 'restart', attributes: { timeout: 3000 }, commands: { end: 'redis-server --daemonize yes' } });
  assert.equal(scenario.timeline[3]!.untilMs, 10_000, 'no end: to the end of the load');
  assert.deepEqual(scenario.processes, [{ name: 'redis', match: 'redis-server 127.0.0.1:6390', watch: true }]);
});

test('each process step names what it needs, and nothing it cannot use', () => {
  assert.deepEqual(problems({
    timeline: [
      { at: '1s', fault: pause() },
      { at: '1s', process: 'db', fault: pause() },
      { at: '1s', proxy: 'store', process: 'redis', fault: restart({ start: 'x' }) },
      { at: '1s', fault: { type: 'restart', attributes: { timeout: 10 } } },
      { at: '1s', fault: { type: 'command', attributes: { timeout: 10 } } },
      { at: '1s', fault: cpuStress({ cores: 0 }) },
      { at: '1s', process: 'redis', toxicity: 0.5, ramp: [{ after: '1s', attributes: {} }], fault: { type: 'pause', attributes: {}, commands: { start: 'x' } } },
      { at: '1s', proxy: 'store', fault: { type: 'latency', attributes: { latency: 1 }, commands: { start: 'x' } } },
    ],
  }), [
    'timeline[0].process: the name of a process declared in processes (pause acts on one)',
    'timeline[1].process: a process declared in processes (redis)',
    'timeline[2].proxy: no proxy: restart acts on a process',
    'timeline[3].process: the name of a process declared in processes (restart acts on one)',
    'timeline[3].fault.commands.end: the shell command that starts the process again',
    "timeline[4].fault.commands.start: the shell command to run at the step's start",
    'timeline[5].fault.attributes.cores: a number of cores above 0',
    'timeline[6].fault.commands: no commands for pause',
    'timeline[6].ramp: no ramp: pause has nothing to change while on',
    'timeline[6].toxicity: no toxicity: pause is not a Toxiproxy toxic',
    'timeline[7].fault.commands: no commands: latency is a network fault',
    'timeline[6]: no overlap with timeline[2] (a pause or restart of the same process)',
  ]);
});

test('a process is named one way only; a pause and a restart of one process may not overlap', () => {
  assert.deepEqual(problems({ processes: [{ name: 'a', pid: 12, match: 'xyz' }, { name: 'b' }] }), [
    'processes[0].match: exactly one of `pid`, `pidFile` or `match`',
    'processes[1].match: exactly one of `pid`, `pidFile` or `match`',
  ]);
  assert.deepEqual(problems({
    timeline: [
      { at: '1s', for: '3s', process: 'redis', fault: pause() },
      { at: '2s', for: '1s', process: 'redis', fault: restart({ start: 'x' }) },
      { at: '2s', for: '1s', process: 'redis', fault: command({ start: 'x' }) },
    ],
  }), ['timeline[1]: no overlap with timeline[0] (a pause or restart of the same process)']);
});

test('--process replaces a process selector for one run; a bad one names the option', () => {
  const { scenario } = resolveScenario(base, { processes: { redis: 'pid-file:/run/redis.pid' } });
  assert.deepEqual(scenario.processes, [{ name: 'redis', pidFile: '/run/redis.pid', watch: true }]);
  assert.deepEqual(resolveScenario(base, { processes: { redis: 'pid:4242' } }).scenario.processes[0], { name: 'redis', pid: 4242, watch: true });
  assert.throws(() => resolveScenario(base, { processes: { db: 'pid:1', redis: 'pid:x' } }), (error: InvalidInputError) => {
    assert.deepEqual(error.problems.map((p) => `${p.path}: ${p.expected}`), [
      '--process db: a process of the scenario (redis)',
      '--process redis: pid:N, pid-file:PATH or match:TEXT',
    ]);
    return true;
  });
});

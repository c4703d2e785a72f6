import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildConnector, type Dispatcher } from 'undici';
import { runLoad } from '../../lib/engine/index.ts';
import type { ServerResponse } from 'node:http';
import { ConnectionPool, DIAL_AFTER_MS, MAX_DIALS } from '../../lib/engine/connection-pool.ts';
import { timerClock } from '../../lib/clock/index.ts';
import { warmUpEngine } from '../../lib/engine/warm-up.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { startCountingServer } from '../helpers/net.ts';
import { samplesPath, scenarioFor } from './support.ts';

/** Dispatches one GET through `pool`; settles with 'ok' or the error's code. */
function get(pool: ConnectionPool, origin: string): Promise<string> {
  return new Promise((resolve) => {
    const handler: Dispatcher.DispatchHandler = {
      onConnect() {}, onHeaders: () => true, onData: () => true,
      onComplete: () => resolve('ok'),
      onError: (error) => resolve((error as NodeJS.ErrnoException).code ?? error.message),
    };
    pool.dispatch({ origin, path: '/', method: 'GET' }, handler);
  });
}

// The wait-before-dial rule, timed on a manual clock: the pool's timers move only when the
// test moves the clock, while requests travel over real sockets to a real server that
// answers when the test says so.

/** Resolves once `done()` holds, polling the event loop; fails after 5 s of real time. */
async function until(done: () => boolean, what: string): Promise<void> {
  const giveUpAt = performance.now() + 5000;
  while (!done()) {
    if (performance.now() > giveUpAt) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * A pool on a manual clock at a server that holds every answer until answer() is called.
 * Dials are counted; with `holdDials` each waits until finishDial() lets the next one through.
 */
async function manualPool(holdDials = false) {
  const held: ServerResponse[] = [];
  const server = await startCountingServer((_req, res) => { held.push(res); });
  const clock = new ManualClock();
  const dial = buildConnector({});
  const dials = { started: 0 };
  let pendingDials: (() => void)[] | undefined = holdDials ? [] : undefined;
  const pool = new ConnectionPool(server.url, 100, {
    pipelining: 1,
    connect(options, callback) {
      dials.started++;
      const go = () => dial(options, callback);
      if (pendingDials) pendingDials.push(go);
      else go();
    },
  }, clock);
  return {
    server, pool, clock, dials,
    send: () => get(pool, server.url),
    /** Answers every request the server holds. */
    answer: () => { for (const res of held.splice(0)) res.end('ok'); },
    finishDial: () => pendingDials!.shift()!(),
    /** Lets the held dials through, and every later one at once. */
    releaseDials: () => { const held = pendingDials ?? []; pendingDials = undefined; for (const go of held) go(); },
    close: async () => { await pool.destroy(); await server.close(); },
  };
}

test('connection pool: a request that finds no idle connection dials only after waiting DIAL_AFTER_MS', async () => {
  const p = await manualPool();
  const t0 = p.clock.now();
  try {
    const first = p.send();
    await until(() => p.server.arrivals.length === 1, 'the first request');
    assert.equal(p.dials.started, 1, 'the first request dials at once: there is no connection to wait for');
    const waiting = [p.send(), p.send()];
    await p.clock.advanceTo(t0 + DIAL_AFTER_MS - 0.1);
    assert.equal(p.dials.started, 1, 'no dial before DIAL_AFTER_MS');
    await p.clock.advanceTo(t0 + DIAL_AFTER_MS);
    assert.equal(p.dials.started, 3, 'both waiting requests dial at DIAL_AFTER_MS');
    // Sent on their new connections while the first is still unanswered, not queued behind it.
    await until(() => p.server.arrivals.length === 3, 'the waiting requests');
    p.answer();
    assert.deepEqual(await Promise.all([first, ...waiting]), ['ok', 'ok', 'ok']);
  } finally {
    await p.close();
  }
});

test('connection pool: a connection that frees up within DIAL_AFTER_MS takes the waiting request, and nothing is dialled', async () => {
  const p = await manualPool();
  const t0 = p.clock.now();
  try {
    const first = p.send();
    await until(() => p.server.arrivals.length === 1, 'the first request');
    const second = p.send();
    await p.clock.advanceTo(t0 + DIAL_AFTER_MS / 2);
    p.answer();
    assert.equal(await first, 'ok');
    await until(() => p.server.arrivals.length === 2, 'the waiting request, on the freed connection');
    await p.clock.advanceTo(t0 + 10 * DIAL_AFTER_MS);
    p.answer();
    assert.equal(await second, 'ok');
    assert.equal(p.dials.started, 1);
  } finally {
    await p.close();
  }
});

test('connection pool: at most MAX_DIALS dials are under way at once, and each that ends lets one more waiting request dial', async () => {
  const p = await manualPool(true);
  const t0 = p.clock.now();
  try {
    const answers = [p.send()];
    await until(() => p.dials.started === 1, 'the first dial');
    for (let i = 0; i < 3 * MAX_DIALS; i++) answers.push(p.send());
    await p.clock.advanceTo(t0 + DIAL_AFTER_MS);
    assert.equal(p.dials.started, MAX_DIALS, 'the waiting requests dial up to the limit');
    await p.clock.advanceTo(t0 + 100 * DIAL_AFTER_MS);
    assert.equal(p.dials.started, MAX_DIALS, 'and no further while those are under way');
    p.finishDial();
    await until(() => p.dials.started === MAX_DIALS + 1, 'the dial after the first one ended');
    // Let every dial through and answer everything: each request is answered once.
    p.releaseDials();
    await until(() => { p.answer(); return p.server.arrivals.length === answers.length; }, 'every request');
    p.answer();
    assert.deepEqual(new Set(await Promise.all(answers)), new Set(['ok']));
    assert.ok(p.dials.started <= answers.length, `${p.dials.started} dials for ${answers.length} requests`);
  } finally {
    await p.close();
  }
});

test('connection pool: a request that waits for a connection is sent with the body it was given, not a later one', async () => {
  const bodies: string[] = [];
  const server = await startCountingServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    req.on('end', () => { bodies.push(body); res.end('ok'); });
  });
  const dial = buildConnector({});
  // One slow dial at a time and one connection: every request but the first waits.
  const pool = new ConnectionPool(server.url, 1, {
    pipelining: 1,
    connect: (options, callback) => setTimeout(() => dial(options, callback), 20),
  }, timerClock);
  try {
    // One options object reused for every send, as the engine's request mix does.
    const options: Dispatcher.DispatchOptions = { origin: server.url, path: '/', method: 'POST', body: '' };
    const answers = Array.from({ length: 5 }, (_, i) => new Promise<void>((resolve) => {
      options.body = `body-${i}`;
      pool.dispatch(options, { onConnect() {}, onHeaders: () => true, onData: () => true, onComplete: () => resolve(), onError: () => resolve() });
    }));
    await Promise.all(answers);
    assert.deepEqual(bodies, ['body-0', 'body-1', 'body-2', 'body-3', 'body-4']);
  } finally {
    await pool.destroy();
    await server.close();
  }
});

test('connection pool: refused and reset connections fail each request with its code, and the pool goes on', async () => {
  const reset = await startCountingServer((req) => { req.socket.resetAndDestroy(); });
  const pool = new ConnectionPool(reset.url, 4, { pipelining: 1 }, timerClock);
  try {
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(pool, reset.url)));
    assert.deepEqual(new Set(answers), new Set(['ECONNRESET']));
  } finally {
    await pool.destroy();
    await reset.close();
  }
  const refusedUrl = reset.url; // closed above: nothing listens there now
  const refused = new ConnectionPool(refusedUrl, 4, { pipelining: 1 }, timerClock);
  try {
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(refused, refusedUrl)));
    assert.deepEqual(new Set(answers), new Set(['ECONNREFUSED']));
  } finally {
    await refused.destroy();
  }
});

test('connection pool: requests still waiting when it is destroyed fail, none is left hanging', async () => {
  const server = await startCountingServer(() => { /* never answers */ });
  const pool = new ConnectionPool(server.url, 2, { pipelining: 1 }, timerClock);
  const answers = Array.from({ length: 5 }, () => get(pool, server.url));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await pool.destroy();
  const codes = await Promise.all(answers);
  assert.equal(codes.length, 5);
  assert.ok(codes.every((c) => c === 'UND_ERR_DESTROYED'), codes.join(', '));
  await server.close();
});

test('runLoad opens a connection per pre-allocated VU before t0 (no request), and the load uses them', async () => {
  const server = await startCountingServer();
  let connections = 0;
  server.server.on('connection', () => { connections++; });
  try {
    let requestsAtStart = -1;
    const scenario = scenarioFor(server.url, { executor: 'constant-arrival-rate', rate: 20, duration: '1s', preAllocatedVUs: 6, maxVUs: 50 });
    const result = await runLoad({
      scenario, samplesFile: await samplesPath(),
      onStart: () => { requestsAtStart = server.arrivals.length; },
    });
    assert.equal(requestsAtStart, 0, 'nothing is sent before t0');
    assert.equal(server.arrivals.length, result.sent);
    // One connection would carry 20 req/s at a server this fast; there are the 6 opened
    // before t0 (the server may accept them a little later), and none dialled after.
    assert.equal(connections, 6);
  } finally {
    await server.close();
  }
});

test('warm-up: once per process, at a server of its own, every request answered', async () => {
  const first = await warmUpEngine();
  assert.ok(first.sent >= 1500, `${first.sent} requests`);
  assert.equal(first.dropped, 0, 'maxVUs is above the number of requests');
  assert.equal(first.completed, first.sent);
  assert.equal(first.failed, 0);
  assert.equal(await warmUpEngine(), first, 'the second call reuses the first');
});

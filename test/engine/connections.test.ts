import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildConnector, type Dispatcher } from 'undici';
import { runLoad } from '../../lib/engine/index.ts';
import { ConnectionPool, MAX_DIALS } from '../../lib/engine/connection-pool.ts';
import { warmUpEngine } from '../../lib/engine/warm-up.ts';
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

test('connection pool: a burst dials at most MAX_DIALS connections at once, and every request is answered', async () => {
  const server = await startCountingServer((_req, res) => { setTimeout(() => res.end('ok'), 30); });
  const dial = buildConnector({});
  let dialling = 0;
  let mostAtOnce = 0;
  let dials = 0;
  // Each dial takes 40 ms, so a burst of 60 would have 60 under way at once without the limit.
  const pool = new ConnectionPool(server.url, 100, {
    pipelining: 1,
    connect(options, callback) {
      dials++;
      mostAtOnce = Math.max(mostAtOnce, ++dialling);
      setTimeout(() => dial(options, (error, socket) => { dialling--; (callback as (e: Error | null, s: unknown) => void)(error, socket); }), 40);
    },
  });
  try {
    const answers = await Promise.all(Array.from({ length: 60 }, () => get(pool, server.url)));
    assert.deepEqual(new Set(answers), new Set(['ok']));
    assert.equal(server.arrivals.length, 60);
    assert.equal(mostAtOnce, MAX_DIALS, `at most ${MAX_DIALS} dials at once, and the limit is reached`);
    // Requests that waited took connections that freed up as well as new ones.
    assert.ok(dials < 60, `${dials} dials for 60 requests`);
  } finally {
    await pool.destroy();
    await server.close();
  }
});

/** A pool whose dials are counted, waiting `dialAfterMs` before a dial, at a server answering after `answerMs`. */
async function countedPool(dialAfterMs: number, answerMs: number) {
  const server = await startCountingServer((_req, res) => { setTimeout(() => res.end('ok'), answerMs); });
  const dial = buildConnector({});
  const counted = { dials: 0 };
  const pool = new ConnectionPool(server.url, 100, {
    pipelining: 1,
    connect(options, callback) { counted.dials++; dial(options, callback); },
  }, dialAfterMs);
  return { server, pool, counted, close: async () => { await pool.destroy(); await server.close(); } };
}

// The two tests below give the pool waits far from the answer times, so that a busy
// machine (timers late by tens of ms) cannot turn one case into the other.

test('connection pool: against a fast target, requests wait for the open connection instead of dialling', async () => {
  // Answers take 1 ms; the third request waits for two of them, far under the 300 ms.
  const { server, pool, counted, close } = await countedPool(300, 1);
  try {
    assert.equal(await get(pool, server.url), 'ok');
    assert.deepEqual(await Promise.all([get(pool, server.url), get(pool, server.url), get(pool, server.url)]), ['ok', 'ok', 'ok']);
    assert.equal(counted.dials, 1);
  } finally {
    await close();
  }
});

test('connection pool: against a slow target, a request that waited long enough dials, and gets its answer', async () => {
  // Answers take 300 ms; requests that find the first connection busy dial after 10 ms.
  const { server, pool, counted, close } = await countedPool(10, 300);
  try {
    const started = performance.now();
    assert.deepEqual(await Promise.all([get(pool, server.url), get(pool, server.url), get(pool, server.url)]), ['ok', 'ok', 'ok']);
    assert.equal(counted.dials, 3);
    // Dialled after waiting, not queued behind each other (that would take three answers, 900 ms).
    assert.ok(performance.now() - started < 600, `${(performance.now() - started).toFixed(0)} ms`);
  } finally {
    await close();
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
  });
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
  const pool = new ConnectionPool(reset.url, 4, { pipelining: 1 });
  try {
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(pool, reset.url)));
    assert.deepEqual(new Set(answers), new Set(['ECONNRESET']));
  } finally {
    await pool.destroy();
    await reset.close();
  }
  const refusedUrl = reset.url; // closed above: nothing listens there now
  const refused = new ConnectionPool(refusedUrl, 4, { pipelining: 1 });
  try {
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(refused, refusedUrl)));
    assert.deepEqual(new Set(answers), new Set(['ECONNREFUSED']));
  } finally {
    await refused.destroy();
  }
});

test('connection pool: requests still waiting when it is destroyed fail, none is left hanging', async () => {
  const server = await startCountingServer(() => { /* never answers */ });
  const pool = new ConnectionPool(server.url, 2, { pipelining: 1 });
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

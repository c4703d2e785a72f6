import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startKvStore, type KvStore } from '../../targets/kv-store.ts';

describe('kv-store speaks RESP2', () => {
  let store: KvStore;
  let redis: Redis;

  before(async () => {
    store = await startKvStore();
    redis = new Redis({ host: '127.0.0.1', port: store.port, protocol: 2, enableReadyCheck: false, disableClientInfo: true, lazyConnect: true });
    await redis.connect();
  });
  after(async () => {
    redis.disconnect();
    await store.close();
  });

  it('answers PING, SET, GET, DEL, EXISTS, INCR and FLUSHALL through ioredis', async () => {
    assert.equal(await redis.ping(), 'PONG');
    assert.equal(await redis.set('a', 'héllo'), 'OK');
    assert.equal(await redis.get('a'), 'héllo');
    assert.equal(await redis.set('a', 'other', 'NX'), null);
    assert.equal(await redis.set('b', '41', 'NX'), 'OK');
    assert.equal(await redis.incr('b'), 42);
    assert.equal(await redis.incr('fresh'), 1);
    assert.equal(await redis.exists('a', 'b', 'missing'), 2);
    assert.equal(await redis.del('a', 'missing'), 1);
    assert.equal(await redis.get('a'), null);
    assert.equal(await redis.flushall(), 'OK');
    assert.equal(await redis.exists('b'), 0);
  });

  it('answers errors for unknown commands, wrong arity and non-integers', async () => {
    await assert.rejects(redis.call('NOSUCH', 'x'), /ERR unknown command/);
    await assert.rejects(redis.call('GET'), /ERR wrong number of arguments for 'get'/);
    await redis.set('s', 'abc');
    await assert.rejects(redis.incr('s'), /ERR value is not an integer/);
    assert.equal(await redis.ping(), 'PONG'); // the connection survives errors
  });

  it('answers pipelined commands in order', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 200; i++) pipeline.set(`k${i}`, String(i)).get(`k${i}`);
    const results = (await pipeline.exec())!;
    assert.equal(results.length, 400);
    for (let i = 0; i < 200; i++) assert.deepEqual(results[2 * i + 1], [null, String(i)]);
  });

  it('reads commands split across packets, inline commands, and closes on QUIT', async () => {
    const socket = connect(store.port, '127.0.0.1');
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    socket.write('*3\r\n$3\r\nSET\r\n$1\r\nx');
    await new Promise((r) => setTimeout(r, 20));
    socket.write('\r\n$2\r\n10\r\n*2\r\n$4\r\nINCR\r\n$1\r\nx\r\nPING\r\nQUIT\r\nPING\r\n');
    await once(socket, 'close');
    assert.equal(received, '+OK\r\n:11\r\n+PONG\r\n+OK\r\n');
  });

  it('answers a protocol error and closes the connection', async () => {
    const socket = connect(store.port, '127.0.0.1');
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    socket.write('*1\r\n+PING\r\n');
    await once(socket, 'close');
    assert.match(received, /^-ERR Protocol error/);
  });
});

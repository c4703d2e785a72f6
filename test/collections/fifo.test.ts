import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fifo } from '../../lib/collections/index.ts';

test('Fifo: values come out in the order they went in, across the ring wrapping and growing', () => {
  const q = new Fifo<number>(4);
  const out: number[] = [];
  let next = 0;
  // Interleaved pushes and shifts move the head around the ring before it has to grow.
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < (round % 7) + 1; i++) q.push(next++);
    for (let i = 0; i < (round % 5) + 1 && q.size > 0; i++) out.push(q.shift()!);
  }
  assert.equal(q.peek(), out.length);
  assert.equal(q.peekLast(), next - 1);
  assert.equal(q.at(1), out.length + 1);
  while (q.size > 0) out.push(q.shift()!);
  assert.deepEqual(out, Array.from({ length: next }, (_, i) => i));
  assert.equal(q.shift(), undefined);
  assert.equal(q.peek(), undefined);
  assert.equal(q.peekLast(), undefined);
});

test('Fifo: clear empties it, and it fills again from the start', () => {
  const q = new Fifo<string>();
  q.push('a');
  q.push('b');
  q.clear();
  assert.equal(q.size, 0);
  assert.equal(q.at(0), undefined);
  q.push('c');
  assert.deepEqual([q.peek(), q.peekLast(), q.size], ['c', 'c', 1]);
});

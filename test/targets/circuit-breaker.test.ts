import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker } from '../../targets/circuit-breaker.ts';
import { LruCache } from '../../targets/lru-cache.ts';

describe('CircuitBreaker', () => {
  const make = () => {
    const clock = { ms: 0 };
    return { clock, breaker: new CircuitBreaker({ failureThreshold: 3, coolDownMs: 500, now: () => clock.ms }) };
  };

  it('opens after the threshold of consecutive failures; a success resets the count', () => {
    const { breaker } = make();
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    assert.equal(breaker.state, 'closed');
    breaker.failure();
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.allow(), false);
  });

  it('lets one probe through after the cool-down; its success closes the circuit', () => {
    const { clock, breaker } = make();
    for (let i = 0; i < 3; i++) breaker.failure();
    clock.ms = 499;
    assert.equal(breaker.allow(), false);
    clock.ms = 500;
    assert.equal(breaker.allow(), true);
    assert.equal(breaker.state, 'half-open');
    assert.equal(breaker.allow(), false, 'only one probe at a time');
    breaker.success();
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.allow(), true);
  });

  it('reports every change of state, once', () => {
    const clock = { ms: 0 };
    const changes: string[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 500, now: () => clock.ms, onChange: (state) => changes.push(`${clock.ms} ${state}`) });
    breaker.failure();
    breaker.failure();
    breaker.failure(); // a late failure while open: no change of state
    clock.ms = 500;
    breaker.allow();
    breaker.failure();
    clock.ms = 1000;
    breaker.allow();
    breaker.success();
    breaker.success();
    assert.deepEqual(changes, ['0 open', '500 half-open', '500 open', '1000 half-open', '1000 closed']);
  });

  it("re-opens for another cool-down when the probe fails", () => {
    const { clock, breaker } = make();
    for (let i = 0; i < 3; i++) breaker.failure();
    clock.ms = 600;
    assert.equal(breaker.allow(), true);
    breaker.failure();
    assert.equal(breaker.state, 'open');
    clock.ms = 1099;
    assert.equal(breaker.allow(), false);
    clock.ms = 1100;
    assert.equal(breaker.allow(), true);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry past its capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    assert.equal(cache.get('a'), 1); // a is now the most recent
    cache.set('c', 3);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('c'), 3);
    assert.equal(cache.size, 2);
  });

  it('rejects a capacity below 1', () => {
    assert.throws(() => new LruCache(0), /capacity/);
  });
});

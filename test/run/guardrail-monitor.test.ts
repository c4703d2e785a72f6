import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuardrailMonitor, type LoadWindow } from '../../lib/run/guardrails.ts';

const w = (s: number, requests: number, errors: number, p99Ms: number | null = 5, dropped = 0): LoadWindow => ({ tMs: s * 1000, requests, errors, dropped, p99Ms });

test('trips when the error rate stays above the limit for the whole duration', () => {
  const m = new GuardrailMonitor([{ measure: 'errorRate', above: 0.5, forMs: 3000 }]);
  assert.equal(m.observe(w(0, 100, 90)), undefined);
  assert.equal(m.observe(w(1, 100, 90)), undefined);
  const trip = m.observe(w(2, 100, 51));
  assert.ok(trip);
  assert.equal(trip.sinceMs, 0);
  assert.equal(trip.atMs, 3000);
  assert.match(trip.reason, /error rate above 50% for 3 s/);
});

test('a good window resets the streak; dropped iterations count as errors', () => {
  const m = new GuardrailMonitor([{ measure: 'errorRate', above: 0.5, forMs: 2000 }]);
  assert.equal(m.observe(w(0, 100, 90)), undefined);
  assert.equal(m.observe(w(1, 100, 10)), undefined);
  assert.equal(m.observe(w(2, 10, 0, 5, 90)), undefined);
  assert.ok(m.observe(w(3, 10, 0, 5, 90)));
});

test('p99 guardrail; windows without a p99 neither trip nor reset it', () => {
  const m = new GuardrailMonitor([{ measure: 'p99', above: 5000, forMs: 2000 }]);
  assert.equal(m.observe(w(0, 10, 0, 6000)), undefined);
  assert.equal(m.observe(w(1, 0, 0, null)), undefined);
  const trip = m.observe(w(2, 10, 0, 7000));
  assert.ok(trip);
  assert.match(trip.reason, /p99 latency above 5000 ms for 3 s/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mannWhitneyGreater, mannWhitneyLess, normalCdf } from '../../lib/report/mann-whitney.ts';

// Reference values: R `wilcox.test(x, y, alternative = "greater", exact = FALSE, correct =
// TRUE)`, identical to SciPy `mannwhitneyu(x, y, alternative="greater", method="asymptotic")`.

const close = (actual: number, expected: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test('normal CDF at textbook points', () => {
  close(normalCdf(0), 0.5);
  close(normalCdf(1.96), 0.9750021);
  close(normalCdf(-1), 0.1586553);
});

test('fully separated samples: U = n1*n2, p = 0.006093', () => {
  const r = mannWhitneyGreater([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
  assert.equal(r.u, 25);
  close(r.p, 0.006092890);
  const reverse = mannWhitneyGreater([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
  assert.equal(reverse.u, 0);
  close(reverse.p, 0.996692325);
});

test('ties take mid-ranks and shrink the variance', () => {
  const r = mannWhitneyGreater([3, 4, 4, 5, 6, 6, 7], [1, 2, 3, 3, 4, 5]);
  assert.equal(r.u, 35.5);
  close(r.p, 0.021277478);
});

test('overlapping samples (Hollander & Wolfe depression scores, R example data)', () => {
  const x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
  const r = mannWhitneyGreater(x, y);
  assert.equal(r.u, 58);
  close(r.p, 0.066459729);
});

test('less is greater with the samples swapped; all-equal samples give no evidence', () => {
  const r = mannWhitneyLess([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
  close(r.p, 0.006092890);
  assert.equal(r.u, 0);
  assert.equal(mannWhitneyGreater([2, 2, 2], [2, 2]).p, 0.5);
  assert.throws(() => mannWhitneyGreater([], [1]), RangeError);
});

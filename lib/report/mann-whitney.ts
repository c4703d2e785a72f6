// One-sided Mann-Whitney U test (Wilcoxon rank-sum), normal approximation with tie and
// continuity corrections: the same numbers as R's `wilcox.test(x, y, alternative =
// "greater", exact = FALSE, correct = TRUE)` and SciPy's `mannwhitneyu(x, y, alternative=
// "greater", method="asymptotic")`. compare uses it to ask whether this run's per-second
// windows are stochastically greater than the baseline's, i.e. whether a difference is more
// than the run-to-run noise. It assumes independent windows, which per-second windows of a
// steady load roughly are.

export interface MannWhitneyResult {
  /** U of the first sample: how many (x, y) pairs have x > y, ties counting one half. */
  u: number;
  z: number;
  /** P(U >= u) under "same distribution", one-sided. */
  p: number;
}

/** Tests H1: values of `x` tend to be greater than values of `y`. */
export function mannWhitneyGreater(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyGreater needs two non-empty samples');
  const all = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))].sort((a, b) => a.v - b.v);
  const n = all.length;
  let rankSumX = 0;
  let tieTerm = 0; // sum of t^3 - t over groups of t tied values
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1; // tied values share the mean of their ranks (1-based)
    for (let k = i; k <= j; k++) if (all[k]!.fromX) rankSumX += rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, p: 0.5 }; // every value equal: no evidence either way
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return { u, z, p: 1 - normalCdf(z) };
}

/** Tests H1: values of `x` tend to be smaller than values of `y`. */
export function mannWhitneyLess(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const r = mannWhitneyGreater(y, x);
  return { u: x.length * y.length - r.u, z: r.z, p: r.p };
}

/** Standard normal CDF, via erfc (the Chebyshev fit from Numerical Recipes, relative error
 * below 1.2e-7: far finer than any alpha a comparison uses). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

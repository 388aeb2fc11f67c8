/** Sample moments and a chi-square statistic, for the statistical tests. */

/** Mean, variance (1/n), and kurtosis E[(x−μ)⁴]/σ⁴ of `xs`. */
export function moments(xs: ArrayLike<number>): { mean: number; variance: number; kurtosis: number } {
  const n = xs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i];
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
  }
  const variance = m2 / n;
  return { mean, variance, kurtosis: m4 / n / (variance * variance) };
}

/** Pearson's chi-square of observed counts against a uniform expectation. */
export function chiSquareUniform(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const expected = total / counts.length;
  let chi2 = 0;
  for (let i = 0; i < counts.length; i++) chi2 += (counts[i] - expected) ** 2 / expected;
  return chi2;
}

/** Pearson correlation of two equally long samples. */
export function correlation(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

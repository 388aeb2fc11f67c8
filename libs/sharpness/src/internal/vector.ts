/** Float64 vector kernels shared by the estimators. */

/** Σ a_i b_i. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm. */
export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** y ← y + alpha·x, in place. */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/** A new vector alpha·x. */
export function scaled(alpha: number, x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = alpha * x[i];
  return out;
}

/** Sample mean and standard error of the mean (sample std / √m); stderr is +Infinity for m < 2. */
export function meanAndStderr(xs: ArrayLike<number>): { mean: number; stderr: number } {
  const m = xs.length;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += xs[i];
  mean /= m;
  if (m < 2) return { mean, stderr: Number.POSITIVE_INFINITY };
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (xs[i] - mean) ** 2;
  return { mean, stderr: Math.sqrt(ss / (m - 1) / m) };
}

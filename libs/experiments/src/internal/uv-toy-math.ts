import { uvToyHessian } from '@lnsgd/models';

/**
 * Eigenvalues (descending) of the uv-toy Hessian m·[[v², 2uv − 1], [2uv − 1, u²]].
 *
 * @param theta [u, v].
 * @param m mean(x²) of the training inputs.
 */
export function uvToyEigenvalues(theta: ArrayLike<number>, m: number): [number, number] {
  const [a, b, , d] = uvToyHessian(theta, m);
  const mid = (a + d) / 2;
  const rad = Math.sqrt(((a - d) / 2) ** 2 + b * b);
  return [mid + rad, mid - rad];
}

/**
 * The exact implicit regularizer of the uv toy, R(θ) = −1/(2η)·Σ_i log(1 − ηh_i/2)
 * over the two Hessian eigenvalues h_i (β = 0); +∞ once ηh_max/2 ≥ 1.
 *
 * @param theta [u, v].
 * @param o m = mean(x²) and η.
 */
export function uvToyRegularizer(theta: ArrayLike<number>, o: { readonly m: number; readonly eta: number }): number {
  let r = 0;
  for (const h of uvToyEigenvalues(theta, o.m)) {
    const arg = 1 - (o.eta * h) / 2;
    if (arg <= 0) return Number.POSITIVE_INFINITY;
    r -= Math.log(arg) / (2 * o.eta);
  }
  return r;
}

/**
 * ∇R(θ) of {@link uvToyRegularizer} by float64 central differences of the exact R
 * (ε = 1e-6: the truncation error ~ε²·R''' is far below the 1e-10 rounding floor).
 * Nested autodiff is deliberately avoided (DESIGN.md: wrong in tfjs).
 *
 * @param theta [u, v].
 * @param o m and η.
 */
export function uvToyRegularizerGradient(theta: ArrayLike<number>, o: { readonly m: number; readonly eta: number }): Float64Array {
  const eps = 1e-6;
  const g = new Float64Array(2);
  for (let i = 0; i < 2; i++) {
    const p = Float64Array.from(theta);
    const q = Float64Array.from(theta);
    p[i] += eps;
    q[i] -= eps;
    g[i] = (uvToyRegularizer(p, o) - uvToyRegularizer(q, o)) / (2 * eps);
  }
  return g;
}

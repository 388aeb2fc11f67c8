import type { Hvp } from './hvp';
import { checkInteger, countedHvp } from './internal/check';
import { ProbeStream, rademacherVector } from './internal/rng';
import { dot, norm, scaled } from './internal/vector';

/** Options of {@link powerIteration}. */
export interface PowerIterationOptions {
  readonly dim: number;
  /** Maximum HVPs (default 100, as in PyHessian). */
  readonly maxIters?: number;
  /** Stop when |θ_k − θ_{k−1}| < tol·(|θ_{k−1}| + 1e-6), PyHessian's rule (default 1e-3; 0 runs all iterations). */
  readonly tol?: number;
  readonly seed: number;
}

/** Result of {@link powerIteration}. */
export interface PowerIterationResult {
  /** Rayleigh quotient θ = vᵀHv of the last unit iterate. */
  readonly value: number;
  /** ‖Hv − θv‖ for that iterate: some eigenvalue lies within it. */
  readonly residual: number;
  readonly iterations: number;
  readonly hvpCount: number;
}

/**
 * Power iteration, the PyHessian baseline for λ_max: v ← Hv/‖Hv‖ until the Rayleigh
 * quotient stops changing. It finds the eigenvalue of largest |λ| (not the largest λ
 * when the spectrum's negative end dominates) and needs ~1/gap iterations; prefer
 * {@link lanczos}.
 *
 * @param hvp v ↦ Hv.
 * @param options dim, maxIters, tol, seed.
 * @example powerIteration(explicitHvp(A, n), {dim: n, seed: 1}).value
 */
export function powerIteration(hvp: Hvp, options: PowerIterationOptions): PowerIterationResult {
  const fn = 'powerIteration';
  const maxIters = options.maxIters ?? 100;
  const tol = options.tol ?? 1e-3;
  checkInteger(fn, { dim: options.dim });
  checkInteger(fn, { maxIters: maxIters });
  if (!(tol >= 0)) throw new RangeError(`${fn}: tol must be >= 0, got ${tol}`);
  const counted = countedHvp(fn, hvp, options.dim);
  const start = rademacherVector({ seed: options.seed, stream: ProbeStream.POWER_START, index: 0 }, options.dim);
  let v = scaled(1 / norm(start), start);
  let value = 0;
  let residual = Number.POSITIVE_INFINITY;
  let iterations = 0;
  for (let it = 0; it < maxIters; it++) {
    const hv = counted.apply(v);
    iterations++;
    const theta = dot(v, hv);
    let rr = 0;
    for (let i = 0; i < hv.length; i++) rr += (hv[i] - theta * v[i]) ** 2;
    residual = Math.sqrt(rr);
    const previous = value;
    value = theta;
    const hvNorm = norm(hv);
    if (hvNorm === 0) break; // v lies in the null space: θ = 0 is exact.
    if (it > 0 && tol > 0 && Math.abs(theta - previous) < tol * (Math.abs(previous) + 1e-6)) break;
    v = scaled(1 / hvNorm, hv);
  }
  return { value, residual, iterations, hvpCount: counted.count() };
}

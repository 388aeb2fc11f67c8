import type { Hvp } from './hvp';
import { checkInteger, countedHvp } from './internal/check';
import { runLanczos, type LanczosProcess } from './internal/lanczos_process';
import { ProbeStream, rademacherVector } from './internal/rng';
import { tridiagonalEigen } from './internal/tridiagonal_eigen';

/** Options of {@link lanczos}. */
export interface LanczosOptions {
  /** Dimension n of the HVP. */
  readonly dim: number;
  /** Maximum Lanczos steps = maximum HVPs (capped at dim). */
  readonly steps: number;
  /** How many of the algebraically largest Ritz pairs to return (default 1). */
  readonly k?: number;
  /** Seed of the Rademacher start vector. */
  readonly seed: number;
  /** Stop once every top-k residual is ≤ tol·|θ| (default 0: run all steps). */
  readonly tol?: number;
  /** Also return the top-k Ritz vectors (e.g. to deflate SLQ); default false. */
  readonly returnVectors?: boolean;
}

/** Top-k Ritz pairs of a Lanczos run. */
export interface LanczosResult {
  /** Ritz values θ_1 ≥ … ≥ θ_k (fewer than k only if the Krylov space became invariant first). */
  readonly values: Float64Array;
  /**
   * ‖H y_i − θ_i y_i‖ for each unit Ritz vector y_i (= β_m·|last component of s_i|,
   * exact with full reorthogonalization). H symmetric ⇒ some eigenvalue lies within it.
   */
  readonly residuals: Float64Array;
  /** Unit Ritz vectors y_i (only with `returnVectors`). */
  readonly vectors?: Float64Array[];
  /** Lanczos steps taken. */
  readonly steps: number;
  /** True if the top-k residuals met `tol`, or the Krylov space became invariant. */
  readonly converged: boolean;
  /** HVPs used (= steps). */
  readonly hvpCount: number;
}

function ritzResiduals(p: LanczosProcess, k: number): { values: Float64Array; residuals: Float64Array } {
  const m = p.alpha.length;
  const eig = tridiagonalEigen(p.alpha, p.beta, [m - 1]);
  const kk = Math.min(k, m);
  const lastBeta = p.beta[m - 1];
  const residuals = Float64Array.from({ length: kk }, (_, i) => Math.abs(lastBeta * eig.rows[0][i]));
  return { values: eig.values.slice(0, kk), residuals };
}

/**
 * The k algebraically largest eigenvalues of a symmetric H by Lanczos with full
 * reorthogonalization, each with its Ritz residual as error bar: for symmetric H there
 * is an eigenvalue in [θ − r, θ + r] (and, given a gap δ to the rest of the spectrum,
 * within r²/δ). θ_1 ≤ λ_max of the operator applied; with a finite-difference HVP its error
 * can move θ_1 above ∇²L's λ_max (see estimateSharpness's topEigenvalueHvpError).
 * Converges far faster than power iteration when the top of the spectrum is not well
 * separated (error ~ exp(−2k√gap) instead of (1 − gap)^k).
 *
 * @param hvp v ↦ Hv.
 * @param options dim, steps, k, seed, tol, returnVectors.
 * @example lanczos(explicitHvp(A, n), {dim: n, steps: 30, k: 2, seed: 1}).values
 */
export function lanczos(hvp: Hvp, options: LanczosOptions): LanczosResult {
  const fn = 'lanczos';
  const { dim, seed } = options;
  const k = options.k ?? 1;
  const tol = options.tol ?? 0;
  checkInteger(fn, { dim: dim });
  checkInteger(fn, { steps: options.steps });
  checkInteger(fn, { k: k });
  if (k > options.steps) throw new RangeError(`${fn}: k = ${k} exceeds steps = ${options.steps}`);
  if (!(tol >= 0)) throw new RangeError(`${fn}: tol must be >= 0, got ${tol}`);
  const counted = countedHvp(fn, hvp, dim);
  let metTol = false;
  const proc = runLanczos({
    apply: counted.apply,
    start: rademacherVector({ seed, stream: ProbeStream.LANCZOS_START, index: 0 }, dim),
    steps: Math.min(options.steps, dim),
    shouldStop: (p) => {
      if (tol === 0 || p.alpha.length < k) return false;
      const { values, residuals } = ritzResiduals(p, k);
      metTol = values.every((v, i) => residuals[i] <= tol * Math.abs(v));
      return metTol;
    },
  });
  const m = proc.alpha.length;
  const { values, residuals } = ritzResiduals(proc, k);
  let vectors: Float64Array[] | undefined;
  if (options.returnVectors === true) {
    const eig = tridiagonalEigen(
      proc.alpha,
      proc.beta,
      Array.from({ length: m }, (_, i) => i),
    );
    vectors = [];
    for (let i = 0; i < values.length; i++) {
      const y = new Float64Array(dim);
      for (let j = 0; j < m; j++) {
        const c = eig.rows[j][i];
        const q = proc.basis[j];
        for (let t = 0; t < dim; t++) y[t] += c * q[t];
      }
      vectors.push(y);
    }
  }
  return {
    values,
    residuals,
    vectors,
    steps: m,
    converged: metTol || proc.invariant,
    hvpCount: counted.count(),
  };
}

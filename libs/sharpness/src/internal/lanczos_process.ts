import { axpy, dot, norm, scaled } from './vector';

/** The state of a Lanczos run: H·Q_m = Q_m·T_m + β_m q_{m+1} e_mᵀ. */
export interface LanczosProcess {
  /** Diagonal α_0…α_{m−1} of T_m. */
  readonly alpha: number[];
  /** β_0…β_{m−1}: β_j couples q_j and q_{j+1}; the last one multiplies the residual direction. */
  readonly beta: number[];
  /** Orthonormal basis q_0…q_{m−1}. */
  readonly basis: Float64Array[];
  /** True when β fell to rounding level: the Krylov space is invariant and T_m's spectrum is exact. */
  readonly invariant: boolean;
}

/** Inputs of one Lanczos run. */
export interface LanczosProcessInput {
  readonly apply: (v: Float64Array) => Float64Array;
  /** Start vector (any non-zero norm). */
  readonly start: Float64Array;
  /** Maximum number of HVPs (= Lanczos steps). */
  readonly steps: number;
  /** Called after each step; returning true stops the run. */
  readonly shouldStop?: (p: LanczosProcess) => boolean;
}

// β below this fraction of ‖H q_j‖ means the new direction is rounding noise.
const BREAKDOWN = 1e-10;

/**
 * Lanczos tridiagonalization with full reorthogonalization in float64 (two passes of
 * classical Gram–Schmidt against every previous basis vector: "twice is enough").
 * Without it, float rounding makes converged Ritz values reappear as spurious copies.
 * One HVP per step.
 */
export function runLanczos(input: LanczosProcessInput): LanczosProcess {
  const alpha: number[] = [];
  const beta: number[] = [];
  const basis: Float64Array[] = [];
  const startNorm = norm(input.start);
  let q = scaled(1 / startNorm, input.start);
  let invariant = false;
  for (let j = 0; j < input.steps; j++) {
    basis.push(q);
    const w = Float64Array.from(input.apply(q));
    const wNorm = norm(w);
    const a = dot(q, w);
    alpha.push(a);
    axpy(-a, q, w);
    if (j > 0) axpy(-beta[j - 1], basis[j - 1], w);
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) axpy(-dot(b, w), b, w);
    }
    const bj = norm(w);
    beta.push(bj);
    const state: LanczosProcess = { alpha, beta, basis, invariant: false };
    if (bj <= BREAKDOWN * wNorm) {
      invariant = true;
      beta[j] = 0;
      break;
    }
    if (input.shouldStop?.(state) === true) break;
    q = scaled(1 / bj, w);
  }
  return { alpha, beta, basis, invariant };
}

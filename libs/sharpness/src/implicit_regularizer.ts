import { implicitRegularizerOfEigenvalue, stabilityThreshold, type RegularizerHyper } from '@lnsgd/optim';
import type { Hvp } from './hvp';
import { checkInteger } from './internal/check';
import { lanczos } from './lanczos';
import { slq, slqTraceOf, type Deflation, type SlqResult } from './slq';

/** Options of {@link implicitRegularizer}. */
export interface ImplicitRegularizerOptions {
  readonly dim: number;
  /** Learning rate η > 0. */
  readonly eta: number;
  /** Heavy-ball momentum β ∈ [0, 1) (default 0). */
  readonly beta?: number;
  /** SLQ probes. */
  readonly probes: number;
  /** Lanczos steps per probe, and for the deflation run. */
  readonly steps: number;
  readonly seed: number;
  /**
   * How many top Ritz pairs to take exactly (a number: one extra Lanczos run of `steps`
   * HVPs; default 5), or a ready {@link Deflation} (no extra HVPs), or 0 for none.
   */
  readonly deflation?: number | Deflation;
}

/** R(θ) with its error bar, or why it is undefined. */
export interface ImplicitRegularizerEstimate {
  /** R(θ), or null when some eigenvalue reaches the threshold (R is +∞ / undefined there). */
  readonly value: number | null;
  /** Standard error over SLQ probes; null when value is null. */
  readonly stderr: number | null;
  /** 2(1 + β)/η. */
  readonly threshold: number;
  /** Ritz values ≥ threshold, largest first (each one is ≤ some true eigenvalue, so each proves R undefined). */
  readonly unstableEigenvalues: number[];
  readonly defined: boolean;
  readonly hvpCount: number;
}

/** R(θ) and instability from an SLQ result (deflated or not); no HVPs. */
export function regularizerFromSlq(result: SlqResult, hyper: RegularizerHyper): Omit<ImplicitRegularizerEstimate, 'hvpCount'> {
  const threshold = stabilityThreshold(hyper);
  let unstable = Array.from(result.deflatedValues).filter((x) => x >= threshold);
  if (unstable.length === 0) {
    // The deflation run saw nothing unstable but a probe did: report the probes' Ritz
    // values, merging near-copies of one eigenvalue seen by several probes.
    const seen = result.probes.flatMap((p) => Array.from(p.nodes).filter((x) => x >= threshold)).sort((a, b) => b - a);
    for (const x of seen) {
      const last = unstable[unstable.length - 1];
      if (last === undefined || last - x > 1e-3 * Math.abs(last)) unstable.push(x);
    }
  } else {
    unstable = unstable.sort((a, b) => b - a);
  }
  if (unstable.length > 0) {
    return { value: null, stderr: null, threshold, unstableEigenvalues: unstable, defined: false };
  }
  const est = slqTraceOf((h) => implicitRegularizerOfEigenvalue(h, hyper), result);
  return { value: est.value, stderr: est.stderr, threshold, unstableEigenvalues: [], defined: true };
}

/**
 * The implicit regularizer of label-noise SGD (Damian, Ma, Lee 2021, eq. for β ≥ 0):
 *   R(θ) = −(1+β)/(2η) · tr log(I − η/(2(1+β)) ∇²L(θ)),
 * estimated by deflated stochastic Lanczos quadrature. The top Ritz pairs of one Lanczos
 * run are taken exactly: near the threshold 2(1+β)/η the log is steep, and sampling it
 * would leave the largest eigenvalue's term with a χ²₁ factor (std ≈ √2·its size), while
 * taking it exactly costs a bias of only ≈ R''(θ)·r²/2 for residual r. Any Ritz value
 * at or above the threshold makes the result `defined: false, value: null` (never NaN);
 * the probes are then skipped.
 *
 * @param hvp v ↦ ∇²L(θ)v.
 * @param options dim, eta, beta, probes, steps, seed, deflation.
 * @example implicitRegularizer(hvp, {dim: n, eta: 0.1, probes: 10, steps: 20, seed: 1}).value
 */
export function implicitRegularizer(hvp: Hvp, options: ImplicitRegularizerOptions): ImplicitRegularizerEstimate {
  const fn = 'implicitRegularizer';
  const hyper: RegularizerHyper = { eta: options.eta, beta: options.beta ?? 0 };
  const threshold = stabilityThreshold(hyper);
  checkInteger(fn, { dim: options.dim });
  checkInteger(fn, { steps: options.steps });
  checkInteger(fn, { probes: options.probes });
  const spec = options.deflation ?? 5;
  let deflation: Deflation | undefined;
  let hvpCount = 0;
  if (typeof spec === 'number') {
    checkInteger(fn, { deflation: spec }, 0);
    if (spec > 0) {
      const top = lanczos(hvp, {
        dim: options.dim,
        steps: options.steps,
        k: Math.min(spec, options.steps, options.dim),
        seed: options.seed,
        returnVectors: true,
      });
      hvpCount += top.hvpCount;
      deflation = { values: top.values, vectors: top.vectors ?? [] };
    }
  } else {
    deflation = spec;
  }
  const early = Array.from(deflation?.values ?? []).filter((x) => x >= threshold);
  if (early.length > 0) {
    return {
      value: null,
      stderr: null,
      threshold,
      unstableEigenvalues: early.sort((a, b) => b - a),
      defined: false,
      hvpCount,
    };
  }
  const result = slq(hvp, {
    dim: options.dim,
    probes: options.probes,
    steps: options.steps,
    seed: options.seed,
    deflation,
  });
  return { ...regularizerFromSlq(result, hyper), hvpCount: hvpCount + result.hvpCount };
}

import type { Hvp } from './hvp';
import { checkInteger } from './internal/check';
import { regularizerFromSlq } from './implicit_regularizer';
import { lanczos } from './lanczos';
import { slq, slqTraceOf } from './slq';

/** Options of {@link estimateSharpness}. */
export interface EstimateSharpnessOptions {
  readonly hvp: Hvp;
  readonly dim: number;
  /** Learning rate η > 0 (sets R's threshold 2(1+β)/η). */
  readonly eta: number;
  /** Heavy-ball momentum β (default 0). */
  readonly beta?: number;
  readonly seed: number;
  /** Lanczos steps for λ_max and the deflation vectors (default 20). */
  readonly lanczosSteps?: number;
  /** Top eigenvalues to report in `topK` (default 1: `topK` omitted). */
  readonly topK?: number;
  /** Top Ritz pairs deflated from SLQ (default 5). */
  readonly deflate?: number;
  /** SLQ probes (default 10). */
  readonly probes?: number;
  /** Lanczos steps per SLQ probe (default 15). */
  readonly slqSteps?: number;
}

/** The sharpness report; the CLI and the metrics service print exactly these (snake_case). */
export interface SharpnessReport {
  /** Largest Ritz value θ_1 (≤ λ_max). */
  readonly topEigenvalue: number;
  /** Its Ritz residual: an eigenvalue lies within it. */
  readonly topEigenvalueError: number;
  /** The top-k Ritz values (only when topK > 1). */
  readonly topK?: number[];
  readonly traceHessian: number;
  readonly traceHessianStderr: number;
  /** R(θ), or null when undefined. */
  readonly implicitRegularizer: number | null;
  readonly implicitRegularizerStderr: number | null;
  readonly implicitRegularizerDefined: boolean;
  /** Ritz values at or above 2(1+β)/η. */
  readonly unstableEigenvalues: number[];
  readonly hvpCount: number;
}

/**
 * λ_max, tr ∇²L and R(θ) from one Lanczos run plus one deflated SLQ. The top Lanczos
 * run gives λ_max with its residual and the deflation vectors; the SLQ probes then give
 * both tr ∇²L (f(x) = x, for which quadrature is exact: n·Σ w_j θ_j = vᵀHv, i.e.
 * Hutchinson on the deflated probes at no extra HVPs) and R(θ). Budget:
 * lanczosSteps + probes·slqSteps HVPs (default 20 + 10·15 = 170; PyHessian's defaults
 * spend up to 100 + 100 for λ_max and the trace alone).
 *
 * @param options the HVP, its dimension, η, β, seed and budgets.
 * @example estimateSharpness({hvp, dim: n, eta: 1, seed: 7}).topEigenvalue
 */
export function estimateSharpness(options: EstimateSharpnessOptions): SharpnessReport {
  const fn = 'estimateSharpness';
  const { hvp, dim, seed } = options;
  const lanczosSteps = Math.min(options.lanczosSteps ?? 20, dim);
  const topK = options.topK ?? 1;
  const deflate = options.deflate ?? 5;
  const probes = options.probes ?? 10;
  const slqSteps = options.slqSteps ?? 15;
  checkInteger(fn, { dim: dim });
  checkInteger(fn, { lanczosSteps: lanczosSteps });
  checkInteger(fn, { topK: topK });
  checkInteger(fn, { deflate: deflate }, 0);
  checkInteger(fn, { probes: probes });
  checkInteger(fn, { slqSteps: slqSteps });
  if (topK > lanczosSteps) throw new RangeError(`${fn}: topK = ${topK} exceeds lanczosSteps = ${lanczosSteps}`);
  const top = lanczos(hvp, {
    dim,
    steps: lanczosSteps,
    k: Math.min(Math.max(topK, deflate), lanczosSteps),
    seed,
    returnVectors: deflate > 0,
  });
  const nDeflate = Math.min(deflate, top.values.length);
  const sampled = slq(hvp, {
    dim,
    probes,
    steps: slqSteps,
    seed,
    deflation:
      nDeflate > 0 ? { values: top.values.slice(0, nDeflate), vectors: (top.vectors ?? []).slice(0, nDeflate) } : undefined,
  });
  const trace = slqTraceOf((x) => x, sampled);
  const reg = regularizerFromSlq(sampled, { eta: options.eta, beta: options.beta ?? 0 });
  // The top run's Ritz values are the best eigenvalue estimates (and with deflate = 0 the
  // SLQ never saw them); the probes' own unstable Ritz values are the fallback.
  const unstableTop = Array.from(top.values).filter((x) => x >= reg.threshold);
  const unstable = unstableTop.length > 0 ? unstableTop : reg.unstableEigenvalues;
  const defined = unstable.length === 0;
  return {
    topEigenvalue: top.values[0],
    topEigenvalueError: top.residuals[0],
    ...(topK > 1 ? { topK: Array.from(top.values.slice(0, topK)) } : {}),
    traceHessian: trace.value,
    traceHessianStderr: trace.stderr,
    implicitRegularizer: defined ? reg.value : null,
    implicitRegularizerStderr: defined ? reg.stderr : null,
    implicitRegularizerDefined: defined,
    unstableEigenvalues: unstable,
    hvpCount: top.hvpCount + sampled.hvpCount,
  };
}

import type { Hvp, HvpBlock } from './hvp';
import { hvpError, hvpErrorFrom } from './hvp_error';
import { checkInteger } from './internal/check';
import { ProbeStream, rademacherVector } from './internal/rng';
import { axpy, dot, norm } from './internal/vector';
import { regularizerFromSlq } from './implicit_regularizer';
import { lanczos } from './lanczos';
import { sampleStderr } from './sample_error';
import { slq, slqTraceOf, type SlqResult } from './slq';

/**
 * The HVP split over K disjoint parts of the evaluation batch: `apply(v)` returns
 * H_k v for each part, and H = Σ_k weights[k]·H_k.
 */
export interface HvpParts {
  readonly apply: (v: Float64Array) => Float64Array[];
  readonly weights: readonly number[];
}

/** Default budgets of {@link estimateSharpness}: written once, read by callers that plan or report on it. */
export const SHARPNESS_DEFAULTS = { lanczosSteps: 20, deflate: 5, probes: 10, slqSteps: 15 } as const;

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
  /**
   * The same finite-difference HVP at half the step: measures the HVP's own error at
   * run time (4 HVPs, see {@link hvpError}) and adds it to the error bars. Omit for
   * an exact HVP.
   */
  readonly hvpHalfStep?: Hvp;
  /**
   * `hvp` (and `hvpHalfStep`) taking several vectors per call: the SLQ probes then run in
   * lockstep and the HVP-error directions go in one block per step, so an estimate takes
   * lanczosSteps + slqSteps·⌈probes/probeBlock⌉ + 2 calls instead of one call per HVP.
   * Each product must equal the plain HVP's (then so does the report).
   */
  readonly hvpBlock?: HvpBlock;
  readonly hvpHalfStepBlock?: HvpBlock;
  /** SLQ runs advanced together with `hvpBlock` (default: all probes). */
  readonly probeBlock?: number;
  /** The HVP per part of the evaluation batch, for the `*SampleStderr` fields (deflate + sampleProbes calls). */
  readonly hvpParts?: HvpParts;
  /** Rademacher probes for the sampled part of the sample-variance estimate (default 2). */
  readonly sampleProbes?: number;
}

/** The sharpness report; the CLI and the metrics service print exactly these (snake_case). */
export interface SharpnessReport {
  /** Largest Ritz value θ_1 of the operator applied (≤ its λ_max; within topEigenvalueError of ∇²L's). */
  readonly topEigenvalue: number;
  /** topEigenvalueResidual + topEigenvalueHvpError: how far an eigenvalue of ∇²L (on the evaluation batch) may be. */
  readonly topEigenvalueError: number;
  /** The Ritz residual ‖Hy − θy‖: an eigenvalue of the operator applied lies within it. */
  readonly topEigenvalueResidual: number;
  /** Estimated |yᵀ(H_ε − ∇²L)y| along the top Ritz vector (0 without `hvpHalfStep`). */
  readonly topEigenvalueHvpError: number;
  /** The top-k Ritz values (only when topK > 1). */
  readonly topK?: number[];
  readonly traceHessian: number;
  /** √((t·probe stderr)² + HVP error²), t Student's one-sigma factor for the probes; +Infinity with one probe. */
  readonly traceHessianStderr: number;
  /** R(θ), or null when undefined. */
  readonly implicitRegularizer: number | null;
  /** √(probe variance/probes + (HVP error + deflation bias)²); null when R is undefined. */
  readonly implicitRegularizerStderr: number | null;
  /** Standard errors over the evaluation sample (between-part spread; null without `hvpParts`). */
  readonly topEigenvalueSampleStderr: number | null;
  readonly traceHessianSampleStderr: number | null;
  readonly implicitRegularizerSampleStderr: number | null;
  /** ‖(H_ε − ∇²L)y‖/‖H_ε y‖ along the top Ritz vector (0 without `hvpHalfStep`). */
  readonly hvpRelativeError: number;
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
  const lanczosSteps = Math.min(options.lanczosSteps ?? SHARPNESS_DEFAULTS.lanczosSteps, dim);
  const topK = options.topK ?? 1;
  const deflate = options.deflate ?? SHARPNESS_DEFAULTS.deflate;
  const probes = options.probes ?? SHARPNESS_DEFAULTS.probes;
  const slqSteps = options.slqSteps ?? SHARPNESS_DEFAULTS.slqSteps;
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
    returnVectors: deflate > 0 || options.hvpHalfStep !== undefined || options.hvpParts !== undefined,
  });
  const nDeflate = Math.min(deflate, top.values.length);
  const sampled = slq(hvp, {
    dim,
    probes,
    steps: slqSteps,
    seed,
    deflation: nDeflate > 0 ? { values: top.values.slice(0, nDeflate), vectors: (top.vectors ?? []).slice(0, nDeflate) } : undefined,
    hvpBlock: options.hvpBlock,
    probeBlock: options.probeBlock,
  });
  const trace = slqTraceOf((x) => x, sampled);
  const reg = regularizerFromSlq(sampled, { eta: options.eta, beta: options.beta ?? 0 });
  // The top run's Ritz values are the best eigenvalue estimates (and with deflate = 0 the
  // SLQ never saw them); the probes' own unstable Ritz values are the fallback.
  const unstableTop = Array.from(top.values).filter((x) => x >= reg.threshold);
  const unstable = unstableTop.length > 0 ? unstableTop : reg.unstableEigenvalues;
  const defined = unstable.length === 0;
  const hyper = { eta: options.eta, beta: options.beta ?? 0 };
  const vectors = top.vectors ?? [];
  const deflation = { values: top.values.slice(0, nDeflate), vectors: vectors.slice(0, nDeflate), residuals: top.residuals.slice(0, nDeflate) };
  // The probe standard error rests on a variance estimated from `probes` samples: ±1 of it
  // covers 68% only after Student's factor t_{0.8413, probes−1} (1.06 for 10 probes).
  const tFactor = studentOneSigma(sampled.probes.length - 1);
  const half = options.hvpHalfStep;
  const blocks =
    options.hvpBlock !== undefined && options.hvpHalfStepBlock !== undefined ? { hvp: options.hvpBlock, half: options.hvpHalfStepBlock } : undefined;
  const hvpErr = half === undefined ? undefined : measureHvpError({ hvp, half, blocks, q: vectors[0], deflation: deflation.vectors, seed });
  const fPrime = (x: number): number => 1 / (4 * (1 - (hyper.eta * x) / (2 * (1 + hyper.beta))));
  const regHvpErr = (hvpErr?.trace ?? 0) * fPrime(top.values[0]) + deflationBias(deflation, hyper);
  const parts =
    options.hvpParts === undefined
      ? undefined
      : sampleSpread({ parts: options.hvpParts, deflation, seed, probes: options.sampleProbes ?? 2, spectral: { sampled, fPrime } });
  return {
    topEigenvalue: top.values[0],
    topEigenvalueError: top.residuals[0] + (hvpErr?.top ?? 0),
    topEigenvalueResidual: top.residuals[0],
    topEigenvalueHvpError: hvpErr?.top ?? 0,
    ...(topK > 1 ? { topK: Array.from(top.values.slice(0, topK)) } : {}),
    traceHessian: trace.value,
    traceHessianStderr: Math.hypot(tFactor * trace.stderr, hvpErr?.trace ?? 0),
    implicitRegularizer: defined ? reg.value : null,
    implicitRegularizerStderr: defined && reg.stderr !== null ? Math.hypot(tFactor * reg.stderr, regHvpErr) : null,
    implicitRegularizerDefined: defined,
    topEigenvalueSampleStderr: parts?.top ?? null,
    traceHessianSampleStderr: parts?.trace ?? null,
    implicitRegularizerSampleStderr: defined ? (parts?.regularizer ?? null) : null,
    hvpRelativeError: hvpErr?.relative ?? 0,
    unstableEigenvalues: unstable,
    hvpCount: top.hvpCount + sampled.hvpCount + (hvpErr?.hvpCount ?? 0) + (parts?.hvpCount ?? 0),
  };
}

/**
 * t_{0.8413, ν}/z_{0.8413}: Student's one-sigma quantile for ν degrees of freedom
 * (Cornish–Fisher expansion to 1/ν², within 0.2% for ν ≥ 3); +Infinity for ν < 1.
 */
function studentOneSigma(nu: number): number {
  if (nu < 1) return Number.POSITIVE_INFINITY;
  if (nu < 3) return nu === 1 ? 1.8373 : 1.3213; // exact t_{0.8413} for ν = 1, 2
  return 1 + 2 / (4 * nu) + 24 / (96 * nu * nu);
}

/** u, a Rademacher probe of `stream`, projected twice off the orthonormal `ys`. */
function projectedProbe(key: { seed: number; stream: ProbeStream; index: number }, dim: number, ys: readonly Float64Array[]): Float64Array {
  const u = rademacherVector({ seed: key.seed, stream: key.stream, index: key.index }, dim);
  for (let pass = 0; pass < 2; pass++) for (const y of ys) axpy(-dot(y, u), y, u);
  return u;
}

/**
 * The HVP's error on λ_max (‖Ey‖ along the top Ritz vector y; first order in E =
 * H_ε − ∇²L) and on the trace (Σ_i |y_iᵀEy_i| over the deflated Ritz vectors plus
 * |uᵀEu| for one deflated Rademacher probe u: tr E on the sampled part, with one
 * probe's noise); 2·(deflated + 1) HVPs.
 */
function measureHvpError(a: {
  hvp: Hvp;
  half: Hvp;
  blocks?: { hvp: HvpBlock; half: HvpBlock };
  q: Float64Array;
  deflation: readonly Float64Array[];
  seed: number;
}): {
  top: number;
  trace: number;
  relative: number;
  hvpCount: number;
} {
  // The deflation vectors start with the top Ritz vector q (when there are any).
  const ys = a.deflation.length > 0 ? a.deflation : [a.q];
  const u = projectedProbe({ seed: a.seed, stream: ProbeStream.HVP_CHECK, index: 0 }, a.q.length, a.deflation);
  const all = [...ys, u];
  let measured: ReturnType<typeof hvpError>[];
  if (a.blocks === undefined) measured = all.map((y) => hvpError(a.hvp, a.half, y));
  else {
    // Two calls: every direction at ε, then every direction at ε/2.
    const hu = a.blocks.hvp(all);
    const halfU = a.blocks.half(all);
    if (hu.length !== all.length || halfU.length !== all.length) throw new RangeError('estimateSharpness: a block HVP returned the wrong number of products');
    measured = all.map((y, i) => hvpErrorFrom(y, hu[i], halfU[i]));
  }
  const errors = measured.slice(0, ys.length);
  const probe = measured[ys.length];
  const deflatedTrace = a.deflation.length > 0 ? errors.reduce((s, e) => s + e.quadratic, 0) : 0;
  const hq = norm(errors[0].hu);
  // ‖Ey‖ bounds the first-order shift of the eigenvalue; |yᵀEy| alone does not bound the
  // Ritz value's error, because each Lanczos step applies the difference to another
  // direction and its truncation is not linear in the direction.
  return {
    top: errors[0].norm,
    trace: probe.quadratic + deflatedTrace,
    relative: hq > 0 ? errors[0].norm / hq : 0,
    hvpCount: 2 * (ys.length + 1),
  };
}

/** Σ_i |f''(θ_i)|·r_i²/2 for R's deflated terms, f'' = a/(4(1 − aθ)²), a = η/(2(1+β)). */
function deflationBias(d: { values: Float64Array; residuals: Float64Array }, hyper: { eta: number; beta: number }): number {
  const a = hyper.eta / (2 * (1 + hyper.beta));
  let s = 0;
  for (let i = 0; i < d.values.length; i++) {
    const z = 1 - a * d.values[i];
    if (z > 0) s += ((a / (4 * z * z)) * d.residuals[i] ** 2) / 2;
  }
  return s;
}

/**
 * Standard errors over the evaluation sample from the between-part spread: λ_k =
 * yᵀH_k y on the top Ritz vector; tr H_k = Σ_i y_iᵀH_k y_i + mean over deflated
 * Rademacher probes of uᵀH_k u; R to first order in H_k − H: Σ_i f'(θ_i) y_iᵀH_k y_i +
 * c·(sampled part), with c the SLQ probes' spectral mean of f'.
 */
function sampleSpread(a: {
  parts: HvpParts;
  deflation: { values: Float64Array; vectors: readonly Float64Array[] };
  seed: number;
  probes: number;
  spectral: { sampled: SlqResult; fPrime: (x: number) => number };
}): { top: number | null; trace: number | null; regularizer: number | null; hvpCount: number } {
  const { parts, deflation } = a;
  const k = parts.weights.length;
  const quad = (u: Float64Array): number[] => parts.apply(u).map((hu) => dot(u, hu));
  const ys = deflation.vectors;
  const perY = ys.map(quad);
  const dim = ys[0]?.length ?? 0;
  const perU = Array.from({ length: a.probes }, (_, j) => quad(projectedProbe({ seed: a.seed, stream: ProbeStream.SAMPLE, index: j }, dim, ys)));
  let c = 0;
  for (const p of a.spectral.sampled.probes) {
    let s = 0;
    for (let j = 0; j < p.nodes.length; j++) s += p.weights[j] * a.spectral.fPrime(p.nodes[j]);
    c += s / a.spectral.sampled.probes.length;
  }
  const trace = new Float64Array(k);
  const reg = new Float64Array(k);
  for (let part = 0; part < k; part++) {
    let sampledPart = 0;
    for (const u of perU) sampledPart += u[part] / perU.length;
    let deflatedPart = 0;
    let deflatedReg = 0;
    perY.forEach((y, i) => {
      deflatedPart += y[part];
      deflatedReg += a.spectral.fPrime(deflation.values[i]) * y[part];
    });
    trace[part] = deflatedPart + sampledPart;
    reg[part] = deflatedReg + c * sampledPart;
  }
  return {
    top: perY.length > 0 ? sampleStderr(perY[0], parts.weights) : null,
    trace: sampleStderr(trace, parts.weights),
    regularizer: sampleStderr(reg, parts.weights),
    hvpCount: ys.length + a.probes,
  };
}

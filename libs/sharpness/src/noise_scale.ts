/**
 * The simple gradient noise scale B_simple = tr Σ / |G|² (McCandlish, Kaplan, Amodei
 * et al. 2018, "An Empirical Model of Large-Batch Training", §2.2 and appendix A):
 * the batch size at which the gradient's noise and signal are comparable.
 */

/** Unbiased estimates of |G|² and tr Σ, and their ratio. */
export interface NoiseScaleEstimate {
  /** Estimate of |G|², the squared norm of the true (full-data) gradient; may come out ≤ 0 when noise dominates. */
  readonly gradSqNorm: number;
  /** Estimate of tr Σ, the per-sample gradient covariance's trace. */
  readonly traceSigma: number;
  /** tr Σ / |G|²; +Infinity when the |G|² estimate is ≤ 0 (the gradient is lost in noise). */
  readonly bSimple: number;
}

function ratio(traceSigma: number, gradSqNorm: number): number {
  return gradSqNorm > 0 ? traceSigma / gradSqNorm : Number.POSITIVE_INFINITY;
}

/** Inputs of {@link noiseScaleFromTwoBatches}. */
export interface TwoBatchNorms {
  /** Small batch size B_small. */
  readonly bSmall: number;
  /** |G_small|², squared norm of the mean gradient over B_small samples. */
  readonly gSmallSqNorm: number;
  /** Big batch size B_big > B_small. */
  readonly bBig: number;
  /** |G_big|². */
  readonly gBigSqNorm: number;
}

/**
 * B_simple from gradient norms at two batch sizes (McCandlish et al. 2018, eqs. A.2–A.3),
 * using E|G_B|² = |G|² + tr Σ / B:
 *   |G|² ≈ (B_big|G_big|² − B_small|G_small|²)/(B_big − B_small),
 *   tr Σ ≈ (|G_small|² − |G_big|²)/(1/B_small − 1/B_big).
 * In data-parallel training, G_small is one worker's gradient and G_big the all-reduced
 * one, so this is free. Single estimates are noisy: average with {@link noiseScaleEma}.
 *
 * @param norms bSmall, gSmallSqNorm, bBig, gBigSqNorm.
 * @example noiseScaleFromTwoBatches({bSmall: 32, gSmallSqNorm: 2.1, bBig: 256, gBigSqNorm: 1.2})
 */
export function noiseScaleFromTwoBatches(norms: TwoBatchNorms): NoiseScaleEstimate {
  const { bSmall, gSmallSqNorm, bBig, gBigSqNorm } = norms;
  if (!(bSmall > 0) || !(bBig > bSmall) || !Number.isFinite(bBig)) {
    throw new RangeError(`noiseScaleFromTwoBatches: need 0 < bSmall < bBig, got bSmall = ${bSmall}, bBig = ${bBig}`);
  }
  if (!Number.isFinite(gSmallSqNorm) || !Number.isFinite(gBigSqNorm) || gSmallSqNorm < 0 || gBigSqNorm < 0) {
    throw new RangeError(`noiseScaleFromTwoBatches: squared norms must be finite and >= 0, got ${gSmallSqNorm}, ${gBigSqNorm}`);
  }
  const gradSqNorm = (bBig * gBigSqNorm - bSmall * gSmallSqNorm) / (bBig - bSmall);
  const traceSigma = (gSmallSqNorm - gBigSqNorm) / (1 / bSmall - 1 / bBig);
  return { gradSqNorm, traceSigma, bSimple: ratio(traceSigma, gradSqNorm) };
}

/**
 * B_simple from B ≥ 2 per-sample gradients g_i, in float64:
 *   tr Σ ≈ Σ_i |g_i − ḡ|² / (B − 1),   |G|² ≈ |ḡ|² − tr Σ / B   (both unbiased).
 *
 * @param perSampleGrads B gradients of equal length.
 * @example noiseScaleFromPerSample([g1, g2, g3]).bSimple
 */
export function noiseScaleFromPerSample(perSampleGrads: readonly Float32Array[]): NoiseScaleEstimate {
  const b = perSampleGrads.length;
  if (b < 2) throw new RangeError(`noiseScaleFromPerSample: need at least 2 per-sample gradients, got ${b}`);
  const n = perSampleGrads[0].length;
  const mean = new Float64Array(n);
  for (const [i, g] of perSampleGrads.entries()) {
    if (g.length !== n) {
      throw new RangeError(`noiseScaleFromPerSample: gradient ${i} has length ${g.length}, gradient 0 has ${n}`);
    }
    for (let j = 0; j < n; j++) mean[j] += g[j] / b;
  }
  let ss = 0;
  for (const g of perSampleGrads) {
    for (let j = 0; j < n; j++) ss += (g[j] - mean[j]) ** 2;
  }
  let meanSq = 0;
  for (let j = 0; j < n; j++) meanSq += mean[j] * mean[j];
  const traceSigma = ss / (b - 1);
  const gradSqNorm = meanSq - traceSigma / b;
  return { gradSqNorm, traceSigma, bSimple: ratio(traceSigma, gradSqNorm) };
}

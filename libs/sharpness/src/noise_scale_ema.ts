import type { NoiseScaleEstimate } from './noise_scale';

/** Running averages of |G|² and tr Σ (plain data, checkpointable). */
export interface NoiseScaleEmaState {
  readonly gradSqNorm: number;
  readonly traceSigma: number;
  /** Updates seen so far. */
  readonly count: number;
}

/** An (init, update, read) triple over {@link NoiseScaleEmaState}. */
export interface NoiseScaleEma {
  readonly init: () => NoiseScaleEmaState;
  readonly update: (state: NoiseScaleEmaState, estimate: Pick<NoiseScaleEstimate, 'gradSqNorm' | 'traceSigma'>) => NoiseScaleEmaState;
  /** B_simple = EMA(tr Σ)/EMA(|G|²); +Infinity while EMA(|G|²) ≤ 0, and for an empty state. */
  readonly bSimple: (state: NoiseScaleEmaState) => number;
}

/**
 * Exponential moving averages of |G|² and tr Σ, read out as the ratio of the averages
 * (McCandlish et al. 2018, appendix A: averaging numerator and denominator separately is
 * less biased than averaging the noisy ratio). No bias correction is needed: both EMAs
 * carry the same (1 − decay^t) factor, which cancels in the ratio.
 *
 * @param options decay ∈ [0, 1), the weight of the old average (e.g. 0.99).
 * @example const ema = noiseScaleEma({decay: 0.9}); let s = ema.init(); s = ema.update(s, est); ema.bSimple(s)
 */
export function noiseScaleEma(options: { readonly decay: number }): NoiseScaleEma {
  const { decay } = options;
  if (!(decay >= 0 && decay < 1)) throw new RangeError(`noiseScaleEma: decay must lie in [0, 1), got ${decay}`);
  return {
    init: () => ({ gradSqNorm: 0, traceSigma: 0, count: 0 }),
    update: (state, estimate) => {
      if (!Number.isFinite(estimate.gradSqNorm) || !Number.isFinite(estimate.traceSigma)) {
        throw new RangeError(`noiseScaleEma.update: estimate must be finite, got gradSqNorm = ${estimate.gradSqNorm}, traceSigma = ${estimate.traceSigma}`);
      }
      return {
        gradSqNorm: decay * state.gradSqNorm + (1 - decay) * estimate.gradSqNorm,
        traceSigma: decay * state.traceSigma + (1 - decay) * estimate.traceSigma,
        count: state.count + 1,
      };
    },
    bSimple: (state) => (state.gradSqNorm > 0 ? state.traceSigma / state.gradSqNorm : Number.POSITIVE_INFINITY),
  };
}

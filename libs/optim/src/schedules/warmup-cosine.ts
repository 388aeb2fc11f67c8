import { cosineDecay } from './cosine-decay';
import { linearWarmup } from './linear-warmup';
import { checkStep, type Schedule } from './schedule';

/** Options of {@link warmupCosine}. */
export interface WarmupCosineOptions {
  /** η at the end of warm-up and the start of the decay. */
  readonly peak: number;
  /** Warm-up length W ≥ 0. */
  readonly warmupSteps: number;
  /** Decay length T ≥ 1, counted after warm-up. */
  readonly decaySteps: number;
  /** Final fraction α of peak (default 0). */
  readonly alpha?: number;
}

/**
 * Linear warm-up then cosine decay: η_k = peak·(k + 1)/W for k < W, then
 * cosineDecay({ init: peak, decaySteps: T, alpha })(k − W).
 *
 * @param opts peak, W, T and α.
 * @example warmupCosine({ peak: 0.1, warmupSteps: 5, decaySteps: 95 })(4) // 0.1
 */
export function warmupCosine(opts: WarmupCosineOptions): Schedule {
  const warm = linearWarmup({ peak: opts.peak, warmupSteps: opts.warmupSteps });
  const decay = cosineDecay({ init: opts.peak, decaySteps: opts.decaySteps, alpha: opts.alpha ?? 0 });
  const w = opts.warmupSteps;
  return (step) => {
    checkStep('warmupCosine', step);
    return step < w ? warm(step) : decay(step - w);
  };
}

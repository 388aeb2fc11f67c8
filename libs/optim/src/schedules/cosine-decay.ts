import { checkHyper } from '../internal/check';
import { checkStep, type Schedule } from './schedule';

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** η at step 0. */
  readonly init: number;
  /** Steps T over which η decays; it stays at alpha·init afterwards. */
  readonly decaySteps: number;
  /** Final fraction α ∈ [0, 1] of init (default 0). */
  readonly alpha?: number;
}

/**
 * Cosine decay (Loshchilov & Hutter 2017, optax `cosine_decay_schedule`):
 * η_k = init · ((1 − α) · ½(1 + cos(π · min(k, T)/T)) + α).
 *
 * @param opts init, T and α.
 * @example cosineDecay({ init: 1, decaySteps: 100 })(50) // 0.5
 */
export function cosineDecay(opts: CosineDecayOptions): Schedule {
  const fn = 'cosineDecay';
  const { init, decaySteps, alpha = 0 } = opts;
  checkHyper(fn, { name: 'init', value: init });
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`${fn}: alpha must lie in [0, 1], got ${alpha}`);
  if (!Number.isInteger(decaySteps) || decaySteps < 1) {
    throw new RangeError(`${fn}: decaySteps must be an integer >= 1, got ${decaySteps}`);
  }
  return (step) => {
    checkStep(fn, step);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * Math.min(step, decaySteps)) / decaySteps));
    return init * ((1 - alpha) * cosine + alpha);
  };
}

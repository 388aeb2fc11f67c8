import { checkHyper } from '../internal/check';
import { checkStep, type Schedule } from './schedule';

/** Options of {@link linearWarmup}. */
export interface LinearWarmupOptions {
  /** The learning rate reached at the end of warm-up. */
  readonly peak: number;
  /** Warm-up length W ≥ 0 (0: no warm-up). */
  readonly warmupSteps: number;
}

/**
 * Linear warm-up (Goyal et al. 2017): η_k = peak · min(1, (k + 1)/W). Step 0
 * already moves (η_0 = peak/W), and η_k = peak from k = W − 1 on.
 *
 * @param opts peak and W.
 * @example linearWarmup({ peak: 0.4, warmupSteps: 4 })(0) // 0.1
 */
export function linearWarmup(opts: LinearWarmupOptions): Schedule {
  const fn = 'linearWarmup';
  const { peak, warmupSteps } = opts;
  checkHyper(fn, { name: 'peak', value: peak });
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new RangeError(`${fn}: warmupSteps must be an integer >= 0, got ${warmupSteps}`);
  }
  return (step) => {
    checkStep(fn, step);
    return step + 1 >= warmupSteps ? peak : (peak * (step + 1)) / warmupSteps;
  };
}

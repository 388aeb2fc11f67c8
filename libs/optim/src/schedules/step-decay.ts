import { checkHyper } from '../internal/check';
import { checkStep, type Schedule } from './schedule';

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  /** η before the first boundary. */
  readonly init: number;
  /** Strictly increasing steps at which η is multiplied by `factor`. */
  readonly boundaries: readonly number[];
  /** The multiplier applied at each boundary, e.g. 0.1. */
  readonly factor: number;
}

/**
 * Piecewise-constant decay: η_k = init · factor^{#{b ∈ boundaries : b ≤ k}}.
 *
 * @param opts init, boundaries and factor.
 * @example stepDecay({ init: 1, boundaries: [10, 20], factor: 0.1 })(15) // 0.1
 */
export function stepDecay(opts: StepDecayOptions): Schedule {
  const fn = 'stepDecay';
  const { init, boundaries, factor } = opts;
  checkHyper(fn, { name: 'init', value: init });
  checkHyper(fn, { name: 'factor', value: factor });
  checkBoundaries(fn, boundaries);
  const bounds = boundaries.slice();
  return (step) => {
    checkStep(fn, step);
    let lr = init;
    for (const b of bounds) if (step >= b) lr *= factor;
    return lr;
  };
}

/** Throws unless `boundaries` are strictly increasing integers ≥ 1. */
export function checkBoundaries(fn: string, boundaries: readonly number[]): void {
  for (let i = 0; i < boundaries.length; i++) {
    const b = boundaries[i];
    if (!Number.isInteger(b) || b < 1 || (i > 0 && b <= boundaries[i - 1])) {
      throw new RangeError(`${fn}: boundaries must be strictly increasing integers >= 1, got [${boundaries.join(', ')}]`);
    }
  }
}

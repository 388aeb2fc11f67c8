import { checkHyper } from './internal/check';
import { fromInPlace } from './internal/in-place';
import type { EmptyState, InPlaceTransformation } from './transformation';

/**
 * Rescales the whole update vector to norm at most `maxNorm`:
 * u ← u · min(1, maxNorm/‖u‖₂).
 *
 * @param maxNorm the largest allowed ℓ2 norm, > 0.
 * @example chain(clipByGlobalNorm(1), scaleByLearningRate(0.1))
 */
export function clipByGlobalNorm(maxNorm: number): InPlaceTransformation<EmptyState> {
  const fn = 'clipByGlobalNorm';
  checkHyper(fn, { name: 'maxNorm', value: maxNorm, min: Number.MIN_VALUE });
  return fromInPlace<EmptyState>({
    name: fn,
    // ‖u‖ is a reduction over the whole vector: run after the last part of a step.
    elementwise: false,
    init: () => ({}),
    inPlace(u) {
      let sq = 0;
      for (let i = 0; i < u.length; i++) sq += u[i] * u[i];
      const norm = Math.sqrt(sq);
      if (norm > maxNorm) {
        const factor = maxNorm / norm;
        for (let i = 0; i < u.length; i++) u[i] = factor * u[i];
      }
    },
  });
}

import { checkHyper } from './internal/check';
import { fromInPlace } from './internal/in-place';
import type { EmptyState, GradientTransformation } from './transformation';

/**
 * Multiplies updates by a constant: u ← c·u.
 *
 * @param c a finite factor.
 * @example scale(-0.1) // plain gradient descent with η = 0.1, as a single transform
 */
export function scale(c: number): GradientTransformation<EmptyState> {
  checkHyper('scale', { name: 'c', value: c });
  return fromInPlace<EmptyState>({
    init: () => ({}),
    inPlace(u, state) {
      for (let i = 0; i < u.length; i++) u[i] = c * u[i];
      return state;
    },
  });
}

import { checkHyper } from './internal/check';
import { fromInPlace } from './internal/in-place';
import type { EmptyState, InPlaceTransformation } from './transformation';

/**
 * Multiplies updates by a constant: u ← c·u.
 *
 * @param c a finite factor.
 * @example scale(-0.1) // plain gradient descent with η = 0.1, as a single transform
 */
export function scale(c: number): InPlaceTransformation<EmptyState> {
  checkHyper('scale', { name: 'c', value: c });
  return fromInPlace<EmptyState>({
    name: 'scale',
    elementwise: true,
    init: () => ({}),
    inPlace(u, _state, { start, end }) {
      for (let i = start; i < end; i++) u[i] = c * u[i];
    },
  });
}

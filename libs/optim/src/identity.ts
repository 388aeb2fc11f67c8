import { fromInPlace } from './internal/in-place';
import type { EmptyState, InPlaceTransformation } from './transformation';

/**
 * The transformation that passes updates through unchanged (returns a copy), used
 * as a placeholder so recipes keep one state layout whatever their options.
 *
 * @example chain(identity(), scale(2))
 */
export function identity(): InPlaceTransformation<EmptyState> {
  return fromInPlace<EmptyState>({ name: 'identity', elementwise: true, init: () => ({}), inPlace: () => undefined });
}

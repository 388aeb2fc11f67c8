import { checkHyper, requireParams } from './internal/check';
import { fromInPlace } from './internal/in-place';
import type { EmptyState, InPlaceTransformation } from './transformation';

/**
 * Coupled L2 regularisation: u ← u + wd·θ, i.e. the gradient of L + (wd/2)‖θ‖².
 * Place it before the learning-rate scaling.
 *
 * @param weightDecay wd ≥ 0.
 * @example chain(addDecayedWeights(5e-4), scaleByLearningRate(0.1))
 */
export function addDecayedWeights(weightDecay: number): InPlaceTransformation<EmptyState> {
  const fn = 'addDecayedWeights';
  checkHyper(fn, { name: 'weightDecay', value: weightDecay, min: 0 });
  return fromInPlace<EmptyState>({
    name: fn,
    elementwise: true,
    init: () => ({}),
    inPlace(u, _state, { params, start, end }) {
      const theta = requireParams(fn, { updates: u, params });
      for (let i = start; i < end; i++) u[i] = u[i] + weightDecay * theta[i];
    },
  });
}

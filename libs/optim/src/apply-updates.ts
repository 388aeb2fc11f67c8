import { checkLength } from './internal/check';

/**
 * θ ← θ + u, as a new array (computed in double, stored float32).
 *
 * @param params θ.
 * @param updates u, e.g. from an optimizer's update.
 * @example params = applyUpdates(params, updates)
 */
export function applyUpdates(params: Float32Array, updates: Float32Array): Float32Array {
  checkLength('applyUpdates', { updates, other: params, otherName: 'params' });
  const out = new Float32Array(params.length);
  for (let i = 0; i < params.length; i++) out[i] = params[i] + updates[i];
  return out;
}

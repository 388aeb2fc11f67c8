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

/**
 * out[i] ← θ_i + u_i for i in [start, end), computed in double and stored float32
 * (the same rounding as {@link applyUpdates}): the in-place owner's last stage of a
 * step, or of one part of it. `out` may be `params` itself.
 *
 * @param params θ.
 * @param updates u, e.g. from an in-place chain over the same range.
 * @param at the output array and the range.
 * @example applyUpdatesInPlace(theta, u, { out: theta, start: 0, end: theta.length })
 */
export function applyUpdatesInPlace(
  params: Float32Array,
  updates: Float32Array,
  at: { readonly out: Float32Array; readonly start: number; readonly end: number },
): void {
  const fn = 'applyUpdatesInPlace';
  checkLength(fn, { updates, other: params, otherName: 'params' });
  checkLength(fn, { updates, other: at.out, otherName: 'out' });
  const { out, start, end } = at;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= params.length)) {
    throw new RangeError(`${fn}: range [${start}, ${end}) must be integers with 0 <= start <= end <= params.length (${params.length})`);
  }
  for (let i = start; i < end; i++) out[i] = params[i] + updates[i];
}

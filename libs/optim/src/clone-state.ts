import type { OptimizerState } from './transformation';

/**
 * A deep copy of an optimizer state (new Float32Arrays, arrays and objects), for an
 * owner that will step it in place (see `InPlaceTransformation`).
 *
 * @param state plain optimizer data.
 * @example const own = cloneOptimizerState(decodeOptimizerState(bytes, opt.init(params)))
 */
export function cloneOptimizerState<S extends OptimizerState>(state: S): S {
  return cloneValue(state) as S;
}

function cloneValue(v: OptimizerState): OptimizerState {
  if (typeof v === 'number') return v;
  if (v instanceof Float32Array) return v.slice();
  if (Array.isArray(v)) return (v as readonly OptimizerState[]).map(cloneValue);
  const out: { [key: string]: OptimizerState } = {};
  for (const [k, item] of Object.entries(v as { readonly [key: string]: OptimizerState })) out[k] = cloneValue(item);
  return out;
}

import type { GradientTransformation, InPlaceRange, InPlaceTransformation, OptimizerState } from '../transformation';
import { cloneOptimizerState } from '../clone-state';

/** The parts a built-in transformation is written as (see {@link InPlaceTransformation}). */
export interface InPlaceSpec<S extends OptimizerState> {
  readonly name: string;
  readonly elementwise: boolean;
  readonly init: (params: Float32Array) => S;
  /** Overwrites u[start, end) and the state vectors there; must not change scalars. */
  readonly inPlace: (u: Float32Array, state: S, at: InPlaceRange) => void;
  /** Moves the scalars on (default: the state itself). */
  readonly advance?: (state: S) => S;
}

/**
 * Builds a transformation from its in-place core: `update` copies the updates and
 * clones the state, then runs the core over [0, n) and advances, so the pure and the
 * in-place forms share their arithmetic.
 */
export function fromInPlace<S extends OptimizerState>(spec: InPlaceSpec<S>): InPlaceTransformation<S> {
  const { name, elementwise, init, inPlace } = spec;
  const advance = spec.advance ?? ((s: S) => s);
  const updateInPlace = (u: Float32Array, state: S, at: InPlaceRange): void => {
    checkRange(name, { n: u.length, at, elementwise });
    inPlace(u, state, at);
  };
  return {
    elementwise,
    init,
    update(updates, state, params) {
      const out = updates.slice();
      const own = cloneOptimizerState(state);
      updateInPlace(out, own, { params, start: 0, end: out.length });
      return [out, advance(own)];
    },
    updateInPlace,
    advance,
  };
}

/** The in-place form of `t`, if it has one. */
export function inPlaceOf<S extends OptimizerState>(t: GradientTransformation<S>): InPlaceTransformation<S> | undefined {
  const c = t as Partial<InPlaceTransformation<S>>;
  return typeof c.updateInPlace === 'function' && typeof c.advance === 'function' && typeof c.elementwise === 'boolean'
    ? (c as InPlaceTransformation<S>)
    : undefined;
}

function checkRange(fn: string, spec: { n: number; at: InPlaceRange; elementwise: boolean }): void {
  const { n, at, elementwise } = spec;
  const { start, end } = at;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= n)) {
    throw new RangeError(`${fn}: range [${start}, ${end}) must be integers with 0 <= start <= end <= updates.length (${n})`);
  }
  if (!elementwise && (start !== 0 || end !== n)) {
    throw new RangeError(`${fn}: is not elementwise (it reduces over the whole vector or a layer), so its range must be [0, ${n}), got [${start}, ${end})`);
  }
}

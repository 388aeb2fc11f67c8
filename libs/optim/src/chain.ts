import { fromInPlace, inPlaceOf } from './internal/in-place';
import type { GradientTransformation, InPlaceTransformation, OptimizerState, StateOf } from './transformation';

/** The state of a chain: the tuple of its members' states. */
export type ChainState<T extends readonly GradientTransformation[]> = { readonly [K in keyof T]: StateOf<T[K]> };

/**
 * Composes transformations left to right (optax `chain`): each one's output
 * updates are the next one's input; the state is the tuple of their states.
 *
 * When every member has an in-place form (all built-ins do), so has the chain: its
 * `updateInPlace` runs the members in order over the same range of one owned buffer
 * (no allocation per step), `advance` advances each member, and it is
 * `elementwise` exactly when every member is — so a partitioned owner may run it
 * part by part, and must otherwise run it once over the whole vector after the last
 * part (see {@link InPlaceTransformation}). The pure `update` costs one copy of the
 * updates and of the state. A chain with a foreign member (only `init`/`update`)
 * has no in-place form: its `update` calls each member's pure `update` in turn.
 *
 * @param transforms the members, applied in order.
 * @example chain(addDecayedWeights(5e-4), scaleByLearningRate(0.1), heavyBall(0.9))
 */
export function chain<const T extends readonly InPlaceTransformation[]>(...transforms: T): InPlaceTransformation<ChainState<T> & readonly OptimizerState[]>;
export function chain<const T extends readonly GradientTransformation[]>(...transforms: T): GradientTransformation<ChainState<T> & readonly OptimizerState[]>;
export function chain<const T extends readonly GradientTransformation[]>(...transforms: T): GradientTransformation<ChainState<T> & readonly OptimizerState[]> {
  type S = ChainState<T> & readonly OptimizerState[];
  const fn = 'chain';
  const checkState = (state: S): void => {
    if (!Array.isArray(state) || state.length !== transforms.length) {
      throw new RangeError(
        `${fn}: state must be an array of ${transforms.length} member states (from this chain's init), got ${Array.isArray(state) ? `length ${state.length}` : typeof state}`,
      );
    }
  };
  // Array.map cannot carry a tuple's element types through; the casts restore them.
  const init = (params: Float32Array): S => transforms.map((m) => m.init(params)) as unknown as S;
  const members = transforms.map((t) => inPlaceOf(t));
  if (members.every((m): m is InPlaceTransformation => m !== undefined)) {
    return fromInPlace<S>({
      name: fn,
      elementwise: members.every((m) => m.elementwise),
      init,
      inPlace(u, state, at) {
        checkState(state);
        for (let i = 0; i < members.length; i++) members[i].updateInPlace(u, state[i], at);
      },
      advance(state) {
        checkState(state);
        return members.map((m, i) => m.advance(state[i])) as unknown as S;
      },
    });
  }
  return {
    init,
    update(updates, state, params) {
      checkState(state);
      let u = updates;
      const next = transforms.map((t, i) => {
        const [out, s] = t.update(u, state[i], params);
        u = out;
        return s;
      });
      // Never hand back the caller's own array (a foreign member might).
      return [u === updates ? updates.slice() : u, next as unknown as S];
    },
  };
}

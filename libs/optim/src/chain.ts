import { inPlaceCore, UPDATE_IN_PLACE, type MaybeInPlace } from './internal/in-place';
import type { GradientTransformation, OptimizerState, StateOf } from './transformation';

/** The state of a chain: the tuple of its members' states. */
export type ChainState<T extends readonly GradientTransformation[]> = { readonly [K in keyof T]: StateOf<T[K]> };

/**
 * Composes transformations left to right (optax `chain`): each one's output
 * updates are the next one's input; the state is the tuple of their states.
 * Built-in members run in place on one private copy of the updates, so a chain
 * costs one parameter-sized copy per step plus what its members must allocate.
 *
 * @param transforms the members, applied in order.
 * @example chain(addDecayedWeights(5e-4), scaleByLearningRate(0.1), heavyBall(0.9))
 */
export function chain<const T extends readonly GradientTransformation[]>(...transforms: T): GradientTransformation<ChainState<T> & readonly OptimizerState[]> {
  type S = ChainState<T> & readonly OptimizerState[];
  const members = transforms.map((t) => ({ t, inPlace: inPlaceCore(t) }));

  /** Runs the members on u; `owned` says whether u may be overwritten. */
  const run = (u: Float32Array, io: { owned: boolean; state: S; params: Float32Array | undefined }) => {
    const { state, params } = io;
    if (!Array.isArray(state) || state.length !== members.length) {
      throw new RangeError(
        `chain: state must be an array of ${members.length} member states (from this chain's init), got ${Array.isArray(state) ? `length ${state.length}` : typeof state}`,
      );
    }
    let owned = io.owned;
    const next: OptimizerState[] = [];
    members.forEach(({ t, inPlace }, i) => {
      const s = state[i] as OptimizerState;
      if (inPlace) {
        if (!owned) {
          u = u.slice();
          owned = true;
        }
        next.push(inPlace(u, s, params));
      } else {
        const [out, ns] = t.update(u, s, params);
        // A foreign member's output may be shared with its state: copy before writing.
        u = out;
        owned = false;
        next.push(ns);
      }
    });
    // `next` holds member i's state at index i, which is what S describes.
    return { u, owned, next: next as unknown as S };
  };

  const t: MaybeInPlace<S> = {
    // Array.map cannot carry a tuple's element types through; the cast restores them.
    init: (params) => transforms.map((m) => m.init(params)) as unknown as S,
    update(updates, state, params) {
      const r = run(updates, { owned: false, state, params });
      // Never hand back the caller's own array (an empty chain would).
      return [r.u === updates ? updates.slice() : r.u, r.next];
    },
    [UPDATE_IN_PLACE]: (owned, state, params) => {
      const r = run(owned, { owned: true, state, params });
      if (r.u !== owned) owned.set(r.u);
      return r.next;
    },
  };
  return t;
}

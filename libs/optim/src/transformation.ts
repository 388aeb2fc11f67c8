/**
 * Optimizer state: plain data only — numbers, Float32Arrays, arrays and plain
 * objects of these — so that it can be checkpointed ({@link encodeOptimizerState})
 * and sent over the wire.
 */
export type OptimizerState = number | Float32Array | readonly OptimizerState[] | { readonly [key: string]: OptimizerState };

/**
 * An optax-style gradient transformation over flat float32 vectors: a pair of pure
 * functions. `update` maps incoming updates (gradients, at the head of a chain)
 * to outgoing updates and the next state; it never mutates its arguments, and its
 * outputs never alias them. Arithmetic is done in double and stored as float32.
 *
 * @example
 * const opt = sgd({ learningRate: 0.1 });
 * let state = opt.init(params);
 * const [updates, next] = opt.update(grads, state, params);
 * params = applyUpdates(params, updates); state = next;
 */
export interface GradientTransformation<S extends OptimizerState = OptimizerState> {
  /** The state before the first step, for parameters shaped like `params`. */
  init(params: Float32Array): S;
  /** One step: updates and state in, transformed updates and next state out. */
  update(updates: Float32Array, state: S, params?: Float32Array): [Float32Array, S];
}

/** The state type of a transformation. */
export type StateOf<T> = T extends GradientTransformation<infer S> ? S : never;

/** The state of a transformation that keeps none. */
export type EmptyState = { readonly [key: string]: never };

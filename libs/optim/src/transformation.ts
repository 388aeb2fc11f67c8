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

/** Where an in-place step works: entries [start, end) of full-length vectors. */
export interface InPlaceRange {
  /** θ, the whole parameter vector (only [start, end) is read by elementwise members). */
  readonly params: Float32Array | undefined;
  readonly start: number;
  readonly end: number;
}

/**
 * A transformation with an in-place form: the contract a parameter server (or any
 * owner of one update buffer and one state) steps through without allocating.
 *
 * One step is `updateInPlace` over one or more disjoint ranges that together cover
 * [0, n), each exactly once, then `advance` once:
 * - `updateInPlace(u, state, at)` overwrites u[start, end) with the transformed
 *   updates and overwrites the state's vectors on [start, end) in place; it reads the
 *   state's scalars (e.g. the step count) but does not change them. `u` and the state
 *   must be owned by the caller and seen by no one else (ZeroMQ frames, checkpoints
 *   being encoded): {@link cloneOptimizerState} makes a state one's own.
 * - `advance(state)` returns the state of the next step (scalars moved on, vectors
 *   shared with the state given).
 *
 * `elementwise` says whether entry i of the output depends only on entry i of the
 * updates, params and state vectors (scale, weight decay, learning rate and its
 * schedules and warm-up, heavy ball). Only then may a step be split into ranges:
 * a partitioned parameter server applies an elementwise chain to each part as it
 * arrives. A transformation that needs the whole vector or a per-layer reduction
 * (clip by global norm, LARS's trust ratio) is not elementwise: its one range must
 * be [0, n), so such a chain runs after the last part has arrived.
 *
 * `update` is exactly: copy u, clone the state, `updateInPlace` over [0, n),
 * `advance` — the same arithmetic, so the two forms are bit-identical. A throw in
 * `updateInPlace` may leave u and the state vectors partly written: an owner that
 * must survive one validates first or steps a copy.
 */
export interface InPlaceTransformation<S extends OptimizerState = OptimizerState> extends GradientTransformation<S> {
  /** True when the output at i depends only on entry i of every vector (see above). */
  readonly elementwise: boolean;
  /** Transforms u[start, end) and the state's vectors there, in place (see above). */
  updateInPlace(owned: Float32Array, state: S, at: InPlaceRange): void;
  /** The state of the next step, after every range of this one was applied. */
  advance(state: S): S;
}

/** The state type of a transformation. */
export type StateOf<T> = T extends GradientTransformation<infer S> ? S : never;

/** The state of a transformation that keeps none. */
export type EmptyState = { readonly [key: string]: never };

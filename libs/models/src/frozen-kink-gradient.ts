import * as tf from '@tensorflow/tfjs';
import type { Model } from './model';
import { recordKinks, replayKinks } from './kinks';
import { createLossAndGradient } from './loss-and-gradient';
import { checkBatch } from './internal/check-batch';
import { uploadWeights } from './internal/param-layout';

/** What {@link createFrozenKinkGradient} returns. */
export interface FrozenKinkGradient {
  /** θ' ↦ ∇L̃(θ') in float32, a fresh array: the gradient of the loss with the kinks frozen at θ. */
  readonly gradient: (theta: Float32Array) => Float32Array;
  /** ReLU units plus max-pool windows frozen (0 for a smooth model). */
  readonly kinks: number;
  /** Frees the recorded masks (kept tensors); the gradient must not be called afterwards. */
  readonly dispose: () => void;
}

/**
 * The gradient of L̃, the model's loss on (x, y) with its ReLU masks and max-pool
 * choices recorded at θ and then held fixed (see {@link KinkPolicy}). L̃ is smooth,
 * equals L at θ with the same gradient, and its Hessian at θ is the a.e. Hessian
 * ∇²L(θ), so a central difference of this gradient is a Hessian-vector product with
 * O(ε²) truncation only, at any step that keeps the arithmetic accurate. Smooth models
 * (no {@link Model.kinkedLossOfWeights}) get their ordinary gradient.
 *
 * The masks cost one float32 per ReLU unit and per max-pool input of the batch; they
 * are kept across calls and freed by `dispose`.
 *
 * @param model any model of the zoo
 * @param at the point θ and the batch the kinks are frozen on
 * @example
 * const frozen = createFrozenKinkGradient(model, { theta, x, y });
 * try { const hvp = finiteDifferenceHvp({ gradient: frozen.gradient, theta }); } finally { frozen.dispose(); }
 */
export function createFrozenKinkGradient(model: Model, at: { readonly theta: Float32Array; readonly x: tf.Tensor; readonly y: tf.Tensor }): FrozenKinkGradient {
  const { x, y } = at;
  const kinked = model.kinkedLossOfWeights?.bind(model);
  if (kinked === undefined) {
    const plain = createLossAndGradient(model);
    return { gradient: (theta) => Float32Array.from(plain(theta, x, y).grad), kinks: 0, dispose: () => undefined };
  }
  checkBatch(model, x, y);
  if (at.theta.length !== model.numParams) {
    throw new Error(`createFrozenKinkGradient(${model.name}): theta must have length ${model.numParams}, got ${at.theta.length}`);
  }
  const tape = recordKinks();
  const weights = uploadWeights(at.theta, model.params);
  try {
    tf.dispose(kinked(tape)(weights, x, y));
  } catch (e) {
    tape.dispose();
    throw e;
  } finally {
    tf.dispose(weights);
  }
  const replay = replayKinks(tape);
  const frozen: Model = {
    ...model,
    hostLossAndGradient: undefined,
    lossOfWeights: (w, xs, ys) => {
      replay.rewind();
      return kinked(replay)(w, xs, ys);
    },
  };
  const lossAndGradient = createLossAndGradient(frozen, { path: 'tfjs' });
  let disposed = false;
  return {
    gradient: (theta) => {
      if (disposed) throw new Error(`createFrozenKinkGradient(${model.name}): gradient called after dispose`);
      return lossAndGradient(theta, x, y).grad;
    },
    kinks: tape.count(),
    dispose: () => {
      disposed = true;
      tape.dispose();
    },
  };
}

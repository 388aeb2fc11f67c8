import * as tf from '@tensorflow/tfjs';
import type { Model } from './model';

/** What {@link createLossAndGradient}'s function returns. */
export interface LossAndGradient {
  /** Batch-mean loss at θ. */
  readonly loss: number;
  /**
   * ∇_θ loss, length numParams, freshly allocated and owned by the caller. On the
   * tfjs path it is a view (byteOffset 0) of a buffer one float longer (the loss
   * rides after the gradient so one read brings both back).
   */
  readonly grad: Float32Array;
}

/** θ (host memory) and a batch → loss and gradient; see {@link createLossAndGradient}. */
export type LossAndGradientFn = (theta: Float32Array, x: tf.Tensor, y: tf.Tensor) => LossAndGradient;

/** Options of {@link createLossAndGradient}. */
export interface LossAndGradientOptions {
  /**
   * 'auto' (default): the model's exact host path when it has one
   * ({@link Model.hostLossAndGradient}: uv-toy, quadratic-sparse), else tfjs.
   * 'tfjs': always autodiff through `model.loss`.
   */
  readonly path?: 'auto' | 'tfjs';
}

/**
 * The trainer's hot path: loss and gradient of `model.loss` at a host θ.
 *
 * tfjs path: uploads θ, runs `tf.valueAndGrad` over it inside `tf.tidy`,
 * concatenates [grad, loss] and reads both back with one `dataSync` (one device
 * sync). No tensor outlives the call; `x` and `y` stay owned by the caller.
 * First-order autodiff only. Host path (tiny models): reads x and y back and runs
 * the model's float64 closed form (about 1000x less overhead for uv-toy).
 *
 * @param model any model of the zoo
 * @param options which path to take
 * @example
 * const lossAndGrad = createLossAndGradient(model);
 * const { loss, grad } = lossAndGrad(theta, xBatch, yBatch);
 */
export function createLossAndGradient(model: Model, options: LossAndGradientOptions = {}): LossAndGradientFn {
  const numParams = model.numParams;
  const host = (options.path ?? 'auto') === 'auto' ? model.hostLossAndGradient : undefined;
  return (theta, x, y) => {
    if (theta.length !== numParams) {
      throw new Error(`createLossAndGradient(${model.name}): theta must have length ${numParams}, got ${theta.length}`);
    }
    if (host !== undefined) return host(theta, { x: x.dataSync(), y: y.dataSync() });
    const packed = tf.tidy(() => {
      const t = tf.tensor1d(theta);
      const { value, grad } = tf.valueAndGrad((p: tf.Tensor1D) => model.loss(p, x, y))(t);
      return tf.concat([grad, value.reshape([1])]);
    });
    let out: Float32Array;
    try {
      out = packed.dataSync() as Float32Array; // float32 tensor: dataSync returns Float32Array
    } finally {
      packed.dispose();
    }
    return { loss: out[numParams], grad: out.subarray(0, numParams) };
  };
}

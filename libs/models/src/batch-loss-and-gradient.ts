import * as tf from '@tensorflow/tfjs';
import { createLossAndGradient, type LossAndGradient, type LossAndGradientOptions } from './loss-and-gradient';
import type { Model } from './model';

/** A batch in host memory: `size` samples of `[...inputShape]` features and their labels. */
export interface HostTrainingBatch {
  readonly x: Float32Array;
  /** Class ids (int32) for classification; `size·outputSize` floats for regression. */
  readonly y: Float32Array | Int32Array;
  readonly size: number;
}

/** θ and a host batch → loss and gradient; see {@link createBatchLossAndGradient}. */
export type BatchLossAndGradientFn = (theta: Float32Array, batch: HostTrainingBatch) => LossAndGradient;

/**
 * Like {@link createLossAndGradient}, but from host arrays: models with an exact host
 * path (uv-toy, quadratic-sparse) never touch tfjs, so a tiny model's step costs
 * microseconds instead of the ~0.3 ms of tensor creation, autodiff and readback;
 * the others wrap the batch in tensors, differentiate, and dispose them.
 *
 * @param model the zoo model.
 * @param options which path to use (default: the host path when the model has one).
 * @example createBatchLossAndGradient(model)(theta, { x, y, size: 8 }).grad
 */
export function createBatchLossAndGradient(model: Model, options: LossAndGradientOptions = {}): BatchLossAndGradientFn {
  const host = (options.path ?? 'auto') === 'auto' ? model.hostLossAndGradient : undefined;
  if (host !== undefined) {
    const out = options.gradInto;
    if (out !== undefined && out.length !== model.numParams) {
      throw new Error(`createBatchLossAndGradient(${model.name}): gradInto must have length ${model.numParams}, got ${out.length}`);
    }
    return (theta, batch) => {
      if (theta.length !== model.numParams) {
        throw new Error(`createBatchLossAndGradient(${model.name}): theta must have length ${model.numParams}, got ${theta.length}`);
      }
      const r = host(theta, batch);
      if (out === undefined) return r;
      out.set(r.grad);
      return { loss: r.loss, grad: out };
    };
  }
  const viaTensors = createLossAndGradient(model, { ...options, path: 'tfjs' });
  return (theta, batch) => {
    const x = tf.tensor(batch.x, [batch.size, ...model.inputShape]);
    const y =
      model.task === 'classification'
        ? tf.tensor1d(batch.y, 'int32')
        : model.outputSize === 1
          ? tf.tensor1d(batch.y, 'float32')
          : tf.tensor2d(batch.y, [batch.size, model.outputSize], 'float32');
    try {
      return viaTensors(theta, x, y);
    } finally {
      tf.dispose([x, y]);
    }
  };
}

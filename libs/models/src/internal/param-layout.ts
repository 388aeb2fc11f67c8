import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '../model';

/** A weight tensor to place in θ. */
export interface ParamEntry {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Contiguous layout of `entries` in a flat vector, in order. */
export function layoutParams(entries: readonly ParamEntry[]): { params: readonly ParamSpec[]; numParams: number } {
  let offset = 0;
  const params = entries.map((e) => {
    const size = e.shape.reduce((a, b) => a * b, 1);
    const spec: ParamSpec = { name: e.name, shape: [...e.shape], offset, size };
    offset += size;
    return spec;
  });
  return { params, numParams: offset };
}

/**
 * θ split into its weight tensors, reshaped. One `tf.split` (its gradient is one
 * concat) instead of a slice per weight (each slice's gradient pads to the full
 * length: O(#weights · #params)).
 */
export function splitParams(modelName: string, theta: tf.Tensor1D, params: readonly ParamSpec[]): tf.Tensor[] {
  const numParams = params.length === 0 ? 0 : params[params.length - 1].offset + params[params.length - 1].size;
  if (theta.rank !== 1 || theta.shape[0] !== numParams) {
    throw new Error(`${modelName}: theta must have shape [${numParams}], got [${theta.shape.join(', ')}]`);
  }
  if (theta.dtype !== 'float32') {
    throw new Error(`${modelName}: theta must be float32, got ${theta.dtype}`);
  }
  const pieces =
    params.length === 1
      ? [theta]
      : tf.split(
          theta,
          params.map((p) => p.size),
        );
  return pieces.map((piece, i) => (params[i].shape.length === 1 ? piece : piece.reshape(params[i].shape as number[])));
}

/** x reshaped to `[B, ...shape]`, checking that each sample holds prod(shape) values. */
export function reshapeInput(modelName: string, x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const want = shape.reduce((a, b) => a * b, 1);
  const have = x.shape.slice(1).reduce((a, b) => a * b, 1);
  if (x.rank < 1 || have !== want) {
    throw new Error(`${modelName}: x must have shape [B, ${shape.join(', ')}] (or [B, ${want}]), got [${x.shape.join(', ')}]`);
  }
  return x.reshape([x.shape[0], ...shape]);
}

/**
 * θ's weight tensors uploaded one by one from views of the host vector, each in its
 * spec's shape: no upload of θ as a whole, no split (and no concat of the gradient
 * pieces in the backward pass). Values equal {@link splitParams}'s bit for bit.
 * The caller disposes them.
 */
export function uploadWeights(theta: Float32Array, params: readonly ParamSpec[]): tf.Tensor[] {
  return params.map((p) => tf.tensor(theta.subarray(p.offset, p.offset + p.size), p.shape as number[], 'float32'));
}

/** Checks that `weights` hold one float32 tensor per spec, in its shape; returns them. */
export function checkWeights(modelName: string, weights: readonly tf.Tensor[], params: readonly ParamSpec[]): readonly tf.Tensor[] {
  if (weights.length !== params.length) {
    throw new Error(`${modelName}: expected ${params.length} weight tensors, got ${weights.length}`);
  }
  weights.forEach((w, i) => {
    const p = params[i];
    if (w.dtype !== 'float32' || w.rank !== p.shape.length || w.shape.some((s, j) => s !== p.shape[j])) {
      throw new Error(`${modelName}: weight ${p.name} must be float32 [${p.shape.join(', ')}], got ${w.dtype} [${w.shape.join(', ')}]`);
    }
  });
  return weights;
}

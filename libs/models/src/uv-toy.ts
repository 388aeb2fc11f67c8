import * as tf from '@tensorflow/tfjs';
import type { Model } from './model';
import { checkWeights, layoutParams, reshapeInput, splitParams } from './internal/param-layout';
import { scaledSquaredError } from './internal/losses';

/** Options of {@link createUvToy}. */
export interface UvToyOptions {
  /** Initial u (default 4: with v = 0.25 the sharp minimizer on uv = 1). */
  readonly u0?: number;
  /** Initial v (default 0.25). */
  readonly v0?: number;
}

/**
 * The two-parameter toy f(x) = u·v·x (x scalar), per-sample loss ½(f(x) − y)²
 * (the ½ makes the Hessian at a minimizer m·[[v², uv], [uv, u²]] with no factor 2).
 * With teacher y = x every point of uv = 1 is a global minimizer; sharpness there is
 * m(u² + v²), smallest at u = v = 1. θ = [u, v]; `init(seed)` ignores the seed and
 * returns the deliberately sharp minimizer [u0, v0] = [4, 0.25]. Metric: the loss.
 *
 * @param options initial point
 * @example
 * const model = createUvToy(); // θ₀ = [4, 0.25]
 */
export function createUvToy(options: UvToyOptions = {}): Model {
  const u0 = options.u0 ?? 4;
  const v0 = options.v0 ?? 0.25;
  const name = 'uv-toy';
  const { params, numParams } = layoutParams([
    { name: 'u', shape: [] },
    { name: 'v', shape: [] },
  ]);
  // Bodies over the weight tensors; callers wrap them in tf.tidy.
  const forward = ([u, v]: readonly tf.Tensor[], x: tf.Tensor): tf.Tensor2D => tf.mul<tf.Tensor2D>(reshapeInput(name, x, [1]), tf.mul(u, v));
  const lossOf = (w: readonly tf.Tensor[], x: tf.Tensor, y: tf.Tensor): tf.Scalar => scaledSquaredError(forward(w, x), y, { modelName: name, scale: 0.5 });
  const predict = (theta: tf.Tensor1D, x: tf.Tensor): tf.Tensor2D => tf.tidy(() => forward(splitParams(name, theta, params), x));
  const loss = (theta: tf.Tensor1D, x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.tidy(() => lossOf(splitParams(name, theta, params), x, y));
  return {
    name,
    task: 'regression',
    numClasses: 0,
    outputSize: 1,
    inputShape: [1],
    params,
    numParams,
    init: () => Float32Array.of(u0, v0),
    predict,
    loss,
    lossOfWeights: (weights, x, y) => tf.tidy(() => lossOf(checkWeights(name, weights, params), x, y)),
    metric: loss,
    hostLossAndGradient: (theta, batch) => {
      if (batch.x.length !== batch.y.length) {
        throw new Error(`uv-toy: x and y must hold one value per sample, got ${batch.x.length} and ${batch.y.length}`);
      }
      const { loss: value, grad } = uvToyLossAndGradient(theta, batch.x, batch.y);
      return { loss: value, grad: Float32Array.from(grad) };
    },
  };
}

/**
 * Closed-form Hessian of the uv-toy loss L = ½·mean((u·v·x − x)²) (teacher y = x):
 * with m = mean(x²), L = (m/2)(uv − 1)² and
 *
 *     ∇²L = m · [[v², 2uv − 1], [2uv − 1, u²]]
 *
 * @param theta [u, v]
 * @param meanXSquared m = mean over the batch of x²
 * @returns row-major 2×2 Float64Array
 * @example uvToyHessian([4, 0.25], 1) // [0.0625, 1, 1, 16]: λ_max ≈ 16.06
 */
export function uvToyHessian(theta: ArrayLike<number>, meanXSquared: number): Float64Array {
  const u = theta[0];
  const v = theta[1];
  const off = meanXSquared * (2 * u * v - 1);
  return Float64Array.of(meanXSquared * v * v, off, off, meanXSquared * u * u);
}

/**
 * The uv-toy loss ½·mean((u·v·x_i − y_i)²) and its gradient in float64 plain JS:
 * the reference for tests, and a fast path for very long toy runs (no tensors).
 *
 * @param theta [u, v]
 * @param x inputs, one per sample
 * @param y targets, one per sample
 * @example uvToyLossAndGradient([1, 1], [1, 2], [1, 2]) // { loss: 0, grad: [0, 0] }
 */
export function uvToyLossAndGradient(theta: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>): { loss: number; grad: Float64Array } {
  const u = theta[0];
  const v = theta[1];
  const n = x.length;
  let loss = 0;
  let dw = 0; // d loss / d(uv)
  for (let i = 0; i < n; i++) {
    const r = u * v * x[i] - y[i];
    loss += 0.5 * r * r;
    dw += r * x[i];
  }
  return { loss: loss / n, grad: Float64Array.of((dw / n) * v, (dw / n) * u) };
}

import * as tf from '@tensorflow/tfjs';
import type { HostBatch, Model } from './model';
import { checkWeights, layoutParams, reshapeInput, splitParams } from './internal/param-layout';
import { scaledSquaredError } from './internal/losses';

/** Options of {@link createQuadraticSparse}. */
export interface QuadraticSparseOptions {
  /** Input dimension (default 100). */
  readonly d?: number;
  /** Initial value of every v_j (default 1). */
  readonly v0?: number;
}

/**
 * The quadratically parametrized linear model of HaoChen, Wei, Lee, Ma (2020):
 * f(x) = ⟨v⊙v, x⟩, per-sample loss ¼(f(x) − y)² (the ¼ follows the paper), θ = v.
 * `init(seed)` ignores the seed: v₀ = 1 (all ones). Metric: the loss.
 *
 * @param options dimension and initial value
 * @example const model = createQuadraticSparse({ d: 100 });
 */
export function createQuadraticSparse(options: QuadraticSparseOptions = {}): Model {
  const d = options.d ?? 100;
  const v0 = options.v0 ?? 1;
  const name = 'quadratic-sparse';
  const { params, numParams } = layoutParams([{ name: 'v', shape: [d] }]);
  // Bodies over the weight tensors; callers wrap them in tf.tidy.
  const forward = ([v]: readonly tf.Tensor[], x: tf.Tensor): tf.Tensor2D => tf.matMul(reshapeInput(name, x, [d]), tf.square(v).reshape([d, 1]));
  const lossOf = (w: readonly tf.Tensor[], x: tf.Tensor, y: tf.Tensor): tf.Scalar => scaledSquaredError(forward(w, x), y, { modelName: name, scale: 0.25 });
  const predict = (theta: tf.Tensor1D, x: tf.Tensor): tf.Tensor2D => tf.tidy(() => forward(splitParams(name, theta, params), x));
  const loss = (theta: tf.Tensor1D, x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.tidy(() => lossOf(splitParams(name, theta, params), x, y));
  return {
    name,
    task: 'regression',
    numClasses: 0,
    outputSize: 1,
    inputShape: [d],
    params,
    numParams,
    init: () => new Float32Array(d).fill(v0),
    predict,
    loss,
    lossOfWeights: (weights, x, y) => tf.tidy(() => lossOf(checkWeights(name, weights, params), x, y)),
    metric: loss,
    hostLossAndGradient: (theta, batch) => quadraticSparseLossAndGradient(theta, batch),
  };
}

/**
 * The quadratic-sparse loss ¼·mean((⟨v⊙v, x_i⟩ − y_i)²) and its gradient
 * (1/B) Σ_i r_i · v⊙x_i with r_i = ⟨v⊙v, x_i⟩ − y_i, in float64 plain JS: the test
 * reference and the host fast path (d·B multiply-adds, no tensors).
 *
 * @param theta v, length d
 * @param batch x (B·d, row-major) and y (B)
 * @example quadraticSparseLossAndGradient([1, 1], { x: [1, 2], y: [3] }) // { loss: 0, grad: [0, 0] }
 */
export function quadraticSparseLossAndGradient(theta: ArrayLike<number>, batch: HostBatch): { loss: number; grad: Float32Array } {
  const d = theta.length;
  const { x, y } = batch;
  const b = y.length;
  if (x.length !== b * d) {
    throw new Error(`quadratic-sparse: x must hold ${b}·${d} = ${b * d} values for ${b} targets, got ${x.length}`);
  }
  const acc = new Float64Array(d);
  let loss = 0;
  for (let i = 0; i < b; i++) {
    const row = i * d;
    let f = 0;
    for (let j = 0; j < d; j++) f += theta[j] * theta[j] * x[row + j];
    const r = f - y[i];
    loss += 0.25 * r * r;
    for (let j = 0; j < d; j++) acc[j] += r * x[row + j];
  }
  const grad = new Float32Array(d);
  for (let j = 0; j < d; j++) grad[j] = (acc[j] * theta[j]) / b;
  return { loss: loss / b, grad };
}

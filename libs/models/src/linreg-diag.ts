import * as tf from '@tensorflow/tfjs';
import type { Model } from './model';
import { checkWeights, layoutParams, reshapeInput, splitParams } from './internal/param-layout';
import { initParams } from './internal/init';
import { scaledSquaredError } from './internal/losses';

/** Options of {@link createLinregDiag}. */
export interface LinregDiagOptions {
  /** Dimension (default 1000). */
  readonly d?: number;
  /** Standard deviation of the N(0, s²) initial θ (default 0: θ₀ = 0). */
  readonly initStd?: number;
}

/**
 * Linear regression f(x) = ⟨θ, x⟩ with per-sample loss ½(f(x) − y)², so the
 * Hessian is XᵀX/n. On `linregDiagData` of `@lnsgd/data` (x_i = √i·e_i) it is
 * exactly diag(i/d): λ_max = 1, tr = (d+1)/2 — the ground truth for sharpness
 * estimators. Metric: the loss.
 *
 * @param options dimension and initial scale
 * @example const model = createLinregDiag({ d: 1000 });
 */
export function createLinregDiag(options: LinregDiagOptions = {}): Model {
  const d = options.d ?? 1000;
  const initStd = options.initStd ?? 0;
  const name = 'linreg-diag';
  const { params, numParams } = layoutParams([{ name: 'theta', shape: [d] }]);
  // Bodies over the weight tensors; callers wrap them in tf.tidy.
  const forward = ([w]: readonly tf.Tensor[], x: tf.Tensor): tf.Tensor2D => tf.matMul(reshapeInput(name, x, [d]), w.reshape([d, 1]));
  const lossOf = (w: readonly tf.Tensor[], x: tf.Tensor, y: tf.Tensor): tf.Scalar => scaledSquaredError(forward(w, x), y, { modelName: name, scale: 0.5 });
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
    init: (seed) => initParams(params, seed, () => (initStd === 0 ? { kind: 'constant', value: 0 } : { kind: 'normal', std: initStd })),
    predict,
    loss,
    lossOfWeights: (weights, x, y) => tf.tidy(() => lossOf(checkWeights(name, weights, params), x, y)),
    metric: loss,
  };
}

import * as tf from '@tensorflow/tfjs';
import type { Model, ModelTask } from './model';
import { checkWeights, layoutParams, reshapeInput, splitParams } from './internal/param-layout';
import type { ParamEntry } from './internal/param-layout';
import { fanIn, initParams } from './internal/init';
import { accuracy, scaledSquaredError, softmaxCrossEntropy } from './internal/losses';
import { freeKinks, type KinkPolicy } from './kinks';

/** Hidden-layer non-linearity of an MLP. */
export type Activation = 'relu' | 'tanh';

/** Options of {@link createMlp}. */
export interface MlpOptions {
  /** Layer widths, input first, output last (default [784, 512, 10]). */
  readonly sizes?: readonly number[];
  /** Hidden non-linearity (default 'relu'). */
  readonly activation?: Activation;
  /** 'classification' (softmax cross-entropy, default) or 'regression' (½ squared error). */
  readonly task?: ModelTask;
  /** Shape of one input sample (default [sizes[0]]); its product must be sizes[0]. */
  readonly inputShape?: readonly number[];
}

/**
 * A fully connected network h_{l+1} = act(h_l W_l + b_l), no activation on the last
 * layer. Kernels W_l are [in, out] (so the forward MatMul needs no transpose), drawn
 * N(0, 2/fan_in) (He) for ReLU and N(0, 1/fan_in) (LeCun) for tanh; biases start at 0.
 *
 * - classification: logits, loss = mean softmax cross-entropy, metric = accuracy;
 * - regression: per-sample loss ½‖f(x) − y‖², metric = the loss (e.g. 1→100→1 tanh
 *   for an edge-of-stability run).
 *
 * @param options widths, activation, task, input shape
 * @example
 * createMlp(); // 784-512-10 ReLU classifier, 407,050 parameters
 * createMlp({ sizes: [1, 100, 1], activation: 'tanh', task: 'regression' });
 */
export function createMlp(options: MlpOptions = {}): Model {
  const sizes = options.sizes ?? [784, 512, 10];
  const activation = options.activation ?? 'relu';
  const task = options.task ?? 'classification';
  const name = 'mlp';
  if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new Error(`createMlp: sizes must be at least two positive integers, got [${sizes.join(', ')}]`);
  }
  const inputShape = options.inputShape ?? [sizes[0]];
  if (inputShape.reduce((a, b) => a * b, 1) !== sizes[0]) {
    throw new Error(`createMlp: inputShape [${inputShape.join(', ')}] must hold sizes[0] = ${sizes[0]} values`);
  }
  const outputSize = sizes[sizes.length - 1];
  if (task === 'classification' && outputSize < 2) {
    throw new Error(`createMlp: a classifier needs at least 2 outputs, got sizes [${sizes.join(', ')}]`);
  }
  const entries: ParamEntry[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    entries.push({ name: `dense${l}.kernel`, shape: [sizes[l], sizes[l + 1]] });
    entries.push({ name: `dense${l}.bias`, shape: [sizes[l + 1]] });
  }
  const { params, numParams } = layoutParams(entries);
  const gain = activation === 'relu' ? 2 : 1;

  // Bodies over the weight tensors; callers wrap them in tf.tidy.
  const forwardWith =
    (kinks: KinkPolicy) =>
    (w: readonly tf.Tensor[], x: tf.Tensor): tf.Tensor2D => {
      let h = reshapeInput(name, x, [sizes[0]]) as tf.Tensor2D;
      for (let l = 0; l + 1 < sizes.length; l++) {
        h = tf.add(tf.matMul(h, w[2 * l] as tf.Tensor2D), w[2 * l + 1]);
        if (l + 2 < sizes.length) h = (activation === 'relu' ? kinks.relu(h) : tf.tanh(h)) as tf.Tensor2D;
      }
      return h;
    };
  const forward = forwardWith(freeKinks);
  const lossWith =
    (kinks: KinkPolicy) =>
    (w: readonly tf.Tensor[], x: tf.Tensor, y: tf.Tensor): tf.Scalar => {
      const out = forwardWith(kinks)(w, x);
      return task === 'classification' ? softmaxCrossEntropy(name, out, y) : scaledSquaredError(out, y, { modelName: name, scale: 0.5 });
    };
  const lossOf = lossWith(freeKinks);
  const predict = (theta: tf.Tensor1D, x: tf.Tensor): tf.Tensor2D => tf.tidy(() => forward(splitParams(name, theta, params), x));
  const loss = (theta: tf.Tensor1D, x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.tidy(() => lossOf(splitParams(name, theta, params), x, y));
  const metric = (theta: tf.Tensor1D, x: tf.Tensor, y: tf.Tensor): tf.Scalar =>
    task === 'classification' ? tf.tidy(() => accuracy(name, predict(theta, x), y)) : loss(theta, x, y);
  return {
    name,
    task,
    numClasses: task === 'classification' ? outputSize : 0,
    outputSize,
    inputShape: [...inputShape],
    params,
    numParams,
    init: (seed) =>
      initParams(params, seed, (p) => (p.shape.length === 1 ? { kind: 'constant', value: 0 } : { kind: 'normal', std: Math.sqrt(gain / fanIn(p.shape)) })),
    predict,
    loss,
    lossOfWeights: (weights, x, y) => tf.tidy(() => lossOf(checkWeights(name, weights, params), x, y)),
    kinkedLossOfWeights: (kinks) => (weights, x, y) => tf.tidy(() => lossWith(kinks)(checkWeights(name, weights, params), x, y)),
    metric,
  };
}

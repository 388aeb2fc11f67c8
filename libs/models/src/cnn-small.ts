import * as tf from '@tensorflow/tfjs';
import type { Model } from './model';
import { checkWeights, layoutParams, reshapeInput, splitParams } from './internal/param-layout';
import { fanIn, initParams } from './internal/init';
import { accuracy, softmaxCrossEntropy } from './internal/losses';
import { freeKinks, type KinkPolicy } from './kinks';

/** Options of {@link createCnnSmall}. */
export interface CnnSmallOptions {
  /** [height, width, channels] of one image (default [28, 28, 1]; [32, 32, 3] for CIFAR). */
  readonly inputShape?: readonly number[];
  /** Classes (default 10). */
  readonly numClasses?: number;
}

/**
 * A small classifier: conv3×3(C→16, same) ReLU maxpool2 → conv3×3(16→32, same) ReLU
 * maxpool2 → dense(→numClasses). NHWC; kernels [3, 3, in, out] and the dense kernel
 * [⌊H/4⌋·⌊W/4⌋·32, numClasses]; He-normal kernels, zero biases. 20,490 parameters
 * at [28, 28, 1], 25,578 at [32, 32, 3]. Loss: mean softmax cross-entropy; metric:
 * accuracy.
 *
 * @param options input shape and classes
 * @example const model = createCnnSmall({ inputShape: [32, 32, 3] });
 */
export function createCnnSmall(options: CnnSmallOptions = {}): Model {
  const inputShape = options.inputShape ?? [28, 28, 1];
  const numClasses = options.numClasses ?? 10;
  const name = 'cnn-small';
  if (inputShape.length !== 3 || !inputShape.every((s) => Number.isInteger(s) && s > 0) || inputShape[0] < 4 || inputShape[1] < 4) {
    throw new Error(`createCnnSmall: inputShape must be [H >= 4, W >= 4, C], got [${inputShape.join(', ')}]`);
  }
  const [h, w, c] = inputShape;
  const flat = Math.floor(Math.floor(h / 2) / 2) * Math.floor(Math.floor(w / 2) / 2) * 32;
  const { params, numParams } = layoutParams([
    { name: 'conv1.kernel', shape: [3, 3, c, 16] },
    { name: 'conv1.bias', shape: [16] },
    { name: 'conv2.kernel', shape: [3, 3, 16, 32] },
    { name: 'conv2.bias', shape: [32] },
    { name: 'dense.kernel', shape: [flat, numClasses] },
    { name: 'dense.bias', shape: [numClasses] },
  ]);
  // Body over the weight tensors; callers wrap it in tf.tidy.
  const forwardWith =
    (kinks: KinkPolicy) =>
    ([k1, b1, k2, b2, kd, bd]: readonly tf.Tensor[], x: tf.Tensor): tf.Tensor2D => {
      const input = reshapeInput(name, x, inputShape) as tf.Tensor4D;
      const block = (z: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor4D =>
        kinks.maxPool2(kinks.relu(tf.add(tf.conv2d(z, kernel as tf.Tensor4D, 1, 'same'), bias)) as tf.Tensor4D);
      const a = block(block(input, k1, b1), k2, b2);
      return tf.add(tf.matMul(a.reshape([a.shape[0], flat]), kd as tf.Tensor2D), bd);
    };
  const forward = forwardWith(freeKinks);
  const predict = (theta: tf.Tensor1D, x: tf.Tensor): tf.Tensor2D => tf.tidy(() => forward(splitParams(name, theta, params), x));
  return {
    name,
    task: 'classification',
    numClasses,
    outputSize: numClasses,
    inputShape: [...inputShape],
    params,
    numParams,
    init: (seed) =>
      initParams(params, seed, (p) => (p.shape.length === 1 ? { kind: 'constant', value: 0 } : { kind: 'normal', std: Math.sqrt(2 / fanIn(p.shape)) })),
    predict,
    loss: (theta, x, y) => tf.tidy(() => softmaxCrossEntropy(name, predict(theta, x), y)),
    lossOfWeights: (weights, x, y) => tf.tidy(() => softmaxCrossEntropy(name, forward(checkWeights(name, weights, params), x), y)),
    kinkedLossOfWeights: (kinks) => (weights, x, y) => tf.tidy(() => softmaxCrossEntropy(name, forwardWith(kinks)(checkWeights(name, weights, params), x), y)),
    metric: (theta, x, y) => tf.tidy(() => accuracy(name, predict(theta, x), y)),
  };
}

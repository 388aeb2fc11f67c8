import * as tf from '@tensorflow/tfjs';
import type { Model } from './model';
import { checkWeights, layoutParams, reshapeInput, splitParams } from './internal/param-layout';
import type { ParamEntry } from './internal/param-layout';
import { fanIn, initParams } from './internal/init';
import { gcd, groupNorm } from './internal/group-norm';
import { accuracy, softmaxCrossEntropy } from './internal/losses';
import { freeKinks, type KinkPolicy } from './kinks';

/** Options of {@link createResnet18}. */
export interface Resnet18Options {
  /** Channels of the stem and first stage (default 64; stages use w, 2w, 4w, 8w). */
  readonly width?: number;
  /** Classes (default 10). */
  readonly numClasses?: number;
  /** [H, W, C] of one image (default [32, 32, 3]). */
  readonly inputShape?: readonly number[];
  /** GroupNorm groups (default 32); a layer with C channels uses gcd(groups, C). */
  readonly groups?: number;
}

interface Layer {
  readonly kernel: tf.Tensor4D;
  readonly gamma: tf.Tensor;
  readonly beta: tf.Tensor;
}

/**
 * ResNet-18 in its CIFAR form (He et al. 2016; the network of the label-noise
 * paper's CIFAR-10 runs): 3×3 stem conv, no max-pool, four stages of two
 * BasicBlocks (w, 2w, 4w, 8w channels; stride 2 and a 1×1 projection shortcut at
 * the start of stages 2–4), global average pool, dense → numClasses.
 *
 * GroupNorm with learnable γ/β replaces BatchNorm, so the model has no running
 * statistics and stays a pure function of θ. Convs have no bias (the norm follows).
 * 11,173,962 parameters at width 64 (the same count as BatchNorm ResNet-18).
 * He-normal kernels, γ = 1, β = 0, zero dense bias. Loss: mean softmax
 * cross-entropy; metric: accuracy.
 *
 * @param options width, classes, input shape and groups
 * @example
 * createResnet18();             // 11.17M parameters
 * createResnet18({ width: 4 }); // a CPU-test-sized version
 */
export function createResnet18(options: Resnet18Options = {}): Model {
  const width = options.width ?? 64;
  const numClasses = options.numClasses ?? 10;
  const inputShape = options.inputShape ?? [32, 32, 3];
  const groups = options.groups ?? 32;
  const name = 'resnet18';
  if (!Number.isInteger(width) || width < 1) throw new Error(`createResnet18: width must be a positive integer, got ${width}`);
  if (inputShape.length !== 3 || !inputShape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new Error(`createResnet18: inputShape must be [H, W, C] positive integers, got [${inputShape.join(', ')}]`);
  }
  const entries: ParamEntry[] = [];
  const conv = (prefix: string, shape: [number, number, number, number]): void => {
    entries.push({ name: `${prefix}.kernel`, shape });
    entries.push({ name: `${prefix}.gn.gamma`, shape: [shape[3]] });
    entries.push({ name: `${prefix}.gn.beta`, shape: [shape[3]] });
  };
  conv('stem', [3, 3, inputShape[2], width]);
  const blocks: { inC: number; outC: number; stride: number; projection: boolean }[] = [];
  let inC = width;
  for (let stage = 0; stage < 4; stage++) {
    const outC = width * 2 ** stage;
    for (let b = 0; b < 2; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const projection = stride !== 1 || inC !== outC;
      const prefix = `layer${stage + 1}.${b}`;
      conv(`${prefix}.conv1`, [3, 3, inC, outC]);
      conv(`${prefix}.conv2`, [3, 3, outC, outC]);
      if (projection) conv(`${prefix}.shortcut`, [1, 1, inC, outC]);
      blocks.push({ inC, outC, stride, projection });
      inC = outC;
    }
  }
  entries.push({ name: 'fc.kernel', shape: [inC, numClasses] });
  entries.push({ name: 'fc.bias', shape: [numClasses] });
  const { params, numParams } = layoutParams(entries);

  // Body over the weight tensors; callers wrap it in tf.tidy.
  const forwardWith =
    (kinks: KinkPolicy) =>
    (w: readonly tf.Tensor[], x: tf.Tensor): tf.Tensor2D => {
      let at = 0;
      const next = (): Layer => {
        const layer = { kernel: w[at] as tf.Tensor4D, gamma: w[at + 1], beta: w[at + 2] };
        at += 3;
        return layer;
      };
      const convNorm = (a: tf.Tensor4D, layer: Layer, stride: number): tf.Tensor4D => {
        const y = tf.conv2d(a, layer.kernel, stride, 'same');
        const c = layer.kernel.shape[3];
        return groupNorm(y, { gamma: layer.gamma, beta: layer.beta, groups: gcd(groups, c) });
      };
      let a = kinks.relu(convNorm(reshapeInput(name, x, inputShape) as tf.Tensor4D, next(), 1)) as tf.Tensor4D;
      for (const block of blocks) {
        const conv1 = next();
        const conv2 = next();
        const shortcut = block.projection ? convNorm(a, next(), block.stride) : a;
        const h = kinks.relu(convNorm(a, conv1, block.stride)) as tf.Tensor4D;
        a = kinks.relu(tf.add<tf.Tensor4D>(convNorm(h, conv2, 1), shortcut)) as tf.Tensor4D;
      }
      const pooled = tf.mean<tf.Tensor2D>(a, [1, 2]);
      return tf.add(tf.matMul(pooled, w[at] as tf.Tensor2D), w[at + 1]);
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
      initParams(params, seed, (p) => {
        if (p.name.endsWith('.gamma')) return { kind: 'constant', value: 1 };
        if (p.shape.length === 1) return { kind: 'constant', value: 0 };
        return { kind: 'normal', std: Math.sqrt(2 / fanIn(p.shape)) };
      }),
    predict,
    loss: (theta, x, y) => tf.tidy(() => softmaxCrossEntropy(name, predict(theta, x), y)),
    lossOfWeights: (weights, x, y) => tf.tidy(() => softmaxCrossEntropy(name, forward(checkWeights(name, weights, params), x), y)),
    kinkedLossOfWeights: (kinks) => (weights, x, y) => tf.tidy(() => softmaxCrossEntropy(name, forwardWith(kinks)(checkWeights(name, weights, params), x), y)),
    metric: (theta, x, y) => tf.tidy(() => accuracy(name, predict(theta, x), y)),
  };
}

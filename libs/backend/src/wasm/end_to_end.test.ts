import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../init_backend';
import { assertClose, assertNoLeaks, onBackend, randomArray } from '../internal/testing';

const BATCH = 4;
const CLASSES = 5;

/** Weights of a tiny CNN: conv 3×3 (1→4) → relu → maxPool 2 → conv 3×3 s2 (4→6) → relu → dense → CE. */
function cnnWeights(): tf.Tensor[] {
  return [
    tf.tensor4d(randomArray(3 * 3 * 1 * 4, 11), [3, 3, 1, 4]),
    tf.tensor1d(randomArray(4, 12)),
    tf.tensor4d(randomArray(3 * 3 * 4 * 6, 13), [3, 3, 4, 6]),
    tf.tensor2d(randomArray(2 * 2 * 6 * CLASSES, 14), [2 * 2 * 6, CLASSES]),
    tf.tensor1d(randomArray(CLASSES, 15)),
  ];
}

function cnnLoss(x: tf.Tensor4D, labels: tf.Tensor2D) {
  return (...w: tf.Tensor[]): tf.Scalar => {
    const [w1, b1, w2, w3, b3] = w as [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor2D, tf.Tensor1D];
    const h1 = tf.maxPool(tf.relu(tf.add<tf.Tensor4D>(tf.conv2d(x, w1, 1, 'same'), b1)), 2, 2, 'valid'); // [B, 4, 4, 4]
    const h2 = tf.relu(tf.conv2d(h1, w2, 2, 'same')); // [B, 2, 2, 6]
    const logits = tf.add(tf.matMul(tf.reshape(h2, [BATCH, -1]), w3), b3);
    return tf.losses.softmaxCrossEntropy(labels, logits);
  };
}

function cnnGradients(): Float32Array[] {
  const x = tf.tensor4d(randomArray(BATCH * 9 * 9, 10), [BATCH, 9, 9, 1]);
  const labels = tf.oneHot(tf.tensor1d([0, 3, 1, 4], 'int32'), CLASSES) as tf.Tensor2D;
  return tf
    .grads(cnnLoss(x, labels))(cnnWeights())
    .map((g) => g.dataSync() as Float32Array);
}

/** GroupNorm (2 groups over 4 channels) → tanh → global average → squared error. */
function groupNormGradients(): Float32Array[] {
  const x = tf.tensor4d(randomArray(3 * 5 * 5 * 4, 20), [3, 5, 5, 4]);
  const gamma = tf.tensor1d(randomArray(4, 21));
  const beta = tf.tensor1d(randomArray(4, 22));
  const f = (input: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
    const grouped = tf.reshape(input, [3, 5, 5, 2, 2]);
    const mean = tf.mean(grouped, [1, 2, 4], true);
    const centered = tf.sub(grouped, mean);
    const variance = tf.mean(tf.square(centered), [1, 2, 4], true);
    const normed = tf.reshape(tf.mul(centered, tf.rsqrt(tf.add(variance, 1e-5))), [3, 5, 5, 4]);
    const y = tf.tanh(tf.add(tf.mul(normed, g), b));
    return tf.sum(tf.square(tf.sub(tf.mean(y, [1, 2]), 0.1)));
  };
  return tf
    .grads(f)([x, gamma, beta])
    .map((g) => g.dataSync() as Float32Array);
}

void describe('training gradients on wasm equal cpu', () => {
  before(async () => {
    await initBackend({ request: 'wasm' });
  });

  void test('conv → relu → maxPool → conv(s2) → dense → cross-entropy, every weight', async () => {
    const expected = await onBackend('cpu', cnnGradients);
    const actual = await onBackend('wasm', cnnGradients);
    assert.equal(actual.length, 5);
    expected.forEach((e, i) => assertClose(actual[i] ?? [], e, `CNN weight ${i}`));
  });

  void test('GroupNorm → tanh → mean, input and affine weights', async () => {
    const expected = await onBackend('cpu', groupNormGradients);
    const actual = await onBackend('wasm', groupNormGradients);
    expected.forEach((e, i) => assertClose(actual[i] ?? [], e, `GroupNorm gradient ${i}`));
  });

  void test('repeated training gradients leak neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      cnnGradients();
      assertNoLeaks(() => {
        cnnGradients();
        groupNormGradients();
      });
    });
  });
});

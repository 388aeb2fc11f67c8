import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createBatchLossAndGradient, createLossAndGradient, createModel, type Model } from './index';
import { testVector, useCpuBackend } from './internal/testing';

// The tfjs path uploads θ weight by weight and reads each gradient tensor
// straight into the result. It must give the same bits as the flat reference path
// (θ uploaded whole, split in model.loss, [concat(gradient), loss] read back).
const ZOO: readonly { label: string; make: () => Model; conv?: true }[] = [
  { label: 'uv-toy', make: () => createModel('uv-toy') },
  { label: 'quadratic-sparse d=10', make: () => createModel('quadratic-sparse', { d: 10 }) },
  { label: 'linreg-diag d=12', make: () => createModel('linreg-diag', { d: 12, initStd: 0.1 }) },
  { label: 'mlp 20-16-5 relu', make: () => createModel('mlp', { sizes: [20, 16, 5] }) },
  { label: 'mlp 6-5-4-3 tanh', make: () => createModel('mlp', { sizes: [6, 5, 4, 3], activation: 'tanh' }) },
  { label: 'mlp 5-4-2 relu regression', make: () => createModel('mlp', { sizes: [5, 4, 2], task: 'regression' }) },
  { label: 'cnn-small 8x8x1', make: () => createModel('cnn-small', { inputShape: [8, 8, 1], numClasses: 3 }), conv: true },
  { label: 'resnet18 width 2, 8x8x3', make: () => createModel('resnet18', { width: 2, inputShape: [8, 8, 3], numClasses: 3, groups: 2 }), conv: true },
];

function batchFor(model: Model, size: number): { x: Float32Array; y: Float32Array | Int32Array; size: number } {
  const dim = model.inputShape.reduce((a, b) => a * b, 1);
  const x = testVector(size * dim, 5);
  const y =
    model.task === 'classification' ? Int32Array.from({ length: size }, (_, i) => (3 * i + 1) % model.numClasses) : testVector(size * model.outputSize, 6);
  return { x, y, size };
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

/** Flat and per-weight paths agree bit for bit on every zoo model, and leave no tensor behind. */
function checkZooBitwise(backend: string, opts: { conv: boolean }): void {
  for (const { label, make, conv } of ZOO) {
    if (conv === true && !opts.conv) continue;
    const model = make();
    const theta = model.init(3);
    // Non-zero everywhere (biases start at 0), so every gradient piece is exercised.
    theta.forEach((t, i) => (theta[i] = t + 0.05 * Math.sin(i)));
    const batch = batchFor(model, 6);
    const before = tf.memory().numTensors;
    const flat = createBatchLossAndGradient(model, { path: 'tfjs', theta: 'flat' })(theta, batch);
    const weights = createBatchLossAndGradient(model, { path: 'tfjs' })(theta, batch);
    assert.equal(tf.memory().numTensors, before, `${label} leaked tensors on ${backend}`);
    assert.ok(Object.is(flat.loss, weights.loss), `${label} on ${backend}: loss ${flat.loss} vs ${weights.loss}`);
    assert.equal(weights.grad.length, model.numParams);
    assert.deepEqual(bits(weights.grad), bits(flat.grad), `${label} on ${backend}: gradients differ`);
  }
}

void describe('tfjs path: per-weight upload and read-back', () => {
  after(useCpuBackend);

  void test('same bits as the flat path for every zoo model (cpu backend)', async () => {
    await useCpuBackend();
    checkZooBitwise('cpu', { conv: true });
  });

  // Stock tfjs-wasm (this library does not depend on @lnsgd/backend) has no
  // Conv2DBackpropFilter, so the conv models are left to the cpu test here.
  void test('same bits as the flat path for the dense zoo models (stock wasm backend, heap read-back)', async (t) => {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
    } catch {
      t.skip('@tensorflow/tfjs-backend-wasm is not installed');
      return;
    }
    if (!(await tf.setBackend('wasm'))) {
      t.skip('the wasm backend did not initialise');
      return;
    }
    checkZooBitwise('wasm', { conv: false });
  });

  void test('gradInto: every call overwrites and returns the caller-owned array, no leaks', async () => {
    await useCpuBackend();
    const model = createModel('mlp', { sizes: [6, 5, 3] });
    const into = new Float32Array(model.numParams);
    const reuse = createLossAndGradient(model, { gradInto: into });
    const fresh = createLossAndGradient(model);
    const x = tf.tensor2d(testVector(24, 2), [4, 6]);
    const y = tf.tensor1d([0, 1, 2, 0], 'int32');
    const before = tf.memory().numTensors;
    let theta = model.init(1);
    for (let i = 0; i < 20; i++) {
      const a = reuse(theta, x, y);
      const b = fresh(theta, x, y);
      assert.equal(a.grad, into);
      assert.ok(Object.is(a.loss, b.loss));
      assert.deepEqual(bits(a.grad), bits(b.grad));
      theta = theta.map((t, j) => t - 0.1 * into[j]);
    }
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y]);
    assert.throws(() => createLossAndGradient(model, { gradInto: new Float32Array(3) }), /gradInto must have length 53, got 3/);
  });

  void test('gradInto on the host path (uv-toy) gets the host gradient', () => {
    const model = createModel('uv-toy');
    const into = new Float32Array(2);
    const batch = { x: Float32Array.of(1, 2), y: Float32Array.of(0.5, -1), size: 2 };
    const a = createBatchLossAndGradient(model, { gradInto: into })(model.init(0), batch);
    const b = createBatchLossAndGradient(model)(model.init(0), batch);
    assert.equal(a.grad, into);
    assert.deepEqual(bits(a.grad), bits(b.grad));
  });

  void test('lossOfWeights checks the weights it is given', async () => {
    await useCpuBackend();
    const model = createModel('mlp', { sizes: [3, 2] });
    tf.tidy(() => {
      const x = tf.zeros([1, 3]);
      const y = tf.zeros([1], 'int32');
      assert.throws(() => model.lossOfWeights?.([tf.zeros([3, 2])], x, y), /mlp: expected 2 weight tensors, got 1/);
      assert.throws(
        () => model.lossOfWeights?.([tf.zeros([2, 3]), tf.zeros([2])], x, y),
        /mlp: weight dense0.kernel must be float32 \[3, 2\], got float32 \[2, 3\]/,
      );
    });
  });
});

void test('a bad batch is refused before the gradient tape: same error as the model, no tensor left behind', async () => {
  await useCpuBackend();
  for (const { label, make } of ZOO) {
    const model = make();
    const theta = model.init(3);
    const good = batchFor(model, 4);
    const dim = model.inputShape.reduce((a, b) => a * b, 1);
    const x = tf.tensor2d(good.x, [4, dim]);
    const y = model.task === 'classification' ? tf.tensor1d(good.y, 'int32') : tf.tensor2d(good.y as Float32Array, [4, model.outputSize]);
    const badX = tf.zeros([4, dim + 1]);
    const badY = model.task === 'classification' ? tf.zeros([4, 2]) : tf.zeros([3, model.outputSize]);
    const wrongDtype = model.task === 'classification' ? tf.zeros([4]) : tf.zeros([4, model.outputSize], 'int32');
    for (const theta_ of ['weights', 'flat'] as const) {
      const f = createLossAndGradient(model, { path: 'tfjs', theta: theta_ });
      f(theta, x, y);
      const before = tf.memory().numTensors;
      assert.throws(() => f(theta, badX, y), /x must have shape/, `${label} (${theta_}): bad x`);
      assert.throws(() => f(theta, x, badY), /(labels|y) must have shape/, `${label} (${theta_}): bad y`);
      assert.throws(() => f(theta, x, wrongDtype), /must be (int32|float32)/, `${label} (${theta_}): wrong dtype`);
      assert.equal(tf.memory().numTensors, before, `${label} (${theta_}) leaked tensors on a bad batch`);
    }
    tf.dispose([x, y, badX, badY, wrongDtype]);
  }
});

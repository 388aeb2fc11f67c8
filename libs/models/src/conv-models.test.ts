import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Model } from './index';
import { createLossAndGradient, createModel } from './index';
import { lossAt, testVector, useCpuBackend } from './internal/testing';

/**
 * Float32 directional check: grad·v against (L(θ+εv) − L(θ−εv))/2ε for a few unit
 * directions v, one of them along the gradient (large, well conditioned) and two
 * mixed with a pseudo-random vector. Relative tolerance 2%: float32 rounding of L
 * (~1e-6 absolute) over 2ε and O(ε²) truncation stay well below it.
 */
function checkDirectionalDerivatives(model: Model, batch: { x: tf.Tensor; y: tf.Tensor; theta: Float32Array }): void {
  const { loss, grad } = createLossAndGradient(model)(batch.theta, batch.x, batch.y);
  assert.ok(Number.isFinite(loss));
  const lossFn = (t: tf.Tensor1D): tf.Scalar => model.loss(t, batch.x, batch.y);
  const gNorm = Math.hypot(...grad);
  for (const mix of [0, 0.5, 1]) {
    const r = testVector(model.numParams, 99 + mix * 10);
    const rNorm = Math.hypot(...r);
    const v = grad.map((g, i) => (1 - mix) * (g / gNorm) + mix * (r[i] / rNorm));
    const vNorm = Math.hypot(...v);
    for (let i = 0; i < v.length; i++) v[i] /= vNorm;
    const eps = 1e-2;
    const plus = batch.theta.map((t, i) => t + eps * v[i]);
    const minus = batch.theta.map((t, i) => t - eps * v[i]);
    const fd = (lossAt(lossFn, plus) - lossAt(lossFn, minus)) / (2 * eps);
    const analytic = grad.reduce((s, g, i) => s + g * v[i], 0);
    assert.ok(Math.abs(fd - analytic) < 0.02 * Math.abs(analytic) + 2e-4, `${model.name} mix ${mix}: fd ${fd} vs grad·v ${analytic} (|g| ${gNorm})`);
  }
}

void describe('cnn-small', () => {
  before(useCpuBackend);

  void test('parameter counts and output shapes', () => {
    assert.equal(createModel('cnn-small').numParams, 20490);
    const cifar = createModel('cnn-small', { inputShape: [32, 32, 3] });
    assert.equal(cifar.numParams, 25578);
    assert.deepEqual(
      cifar.params.map((p) => p.shape),
      [[3, 3, 3, 16], [16], [3, 3, 16, 32], [32], [2048, 10], [10]],
    );
    const small = createModel('cnn-small', { inputShape: [8, 8, 2], numClasses: 4 });
    const shape = tf.tidy(() => small.predict(tf.tensor1d(small.init(1)), tf.zeros([3, 8, 8, 2])).shape);
    assert.deepEqual(shape, [3, 4]);
    assert.deepEqual(small.init(1), small.init(1));
  });

  void test('gradient matches float32 directional finite differences', () => {
    const model = createModel('cnn-small', { inputShape: [8, 8, 2], numClasses: 4 });
    const x = tf.tensor4d(testVector(3 * 128, 5), [3, 8, 8, 2]);
    const y = tf.tensor1d([0, 3, 1], 'int32');
    checkDirectionalDerivatives(model, { x, y, theta: model.init(3) });
    tf.dispose([x, y]);
  });
});

void describe('resnet18', () => {
  before(useCpuBackend);

  void test('11,173,962 parameters at width 64, CIFAR layout', () => {
    const model = createModel('resnet18');
    assert.equal(model.numParams, 11_173_962);
    const names = model.params.map((p) => p.name);
    assert.equal(names[0], 'stem.kernel');
    assert.ok(names.includes('layer2.0.shortcut.kernel'));
    assert.ok(!names.includes('layer1.0.shortcut.kernel'));
    assert.ok(!names.includes('layer2.1.shortcut.kernel'));
    assert.deepEqual(model.params.find((p) => p.name === 'layer4.1.conv2.kernel')?.shape, [3, 3, 512, 512]);
    assert.deepEqual(model.params[model.params.length - 2].shape, [512, 10]);
    // Contiguous layout covering θ exactly.
    let offset = 0;
    for (const p of model.params) {
      assert.equal(p.offset, offset);
      offset += p.size;
    }
    assert.equal(offset, model.numParams);
  });

  void test('tiny width: shapes, init (γ = 1, β = 0), deterministic, gradient check', () => {
    const model = createModel('resnet18', { width: 4, inputShape: [8, 8, 3], numClasses: 5 });
    const theta = model.init(2);
    assert.deepEqual(theta, model.init(2));
    for (const p of model.params) {
      const values = theta.subarray(p.offset, p.offset + p.size);
      if (p.name.endsWith('.gamma'))
        assert.ok(
          values.every((v) => v === 1),
          p.name,
        );
      if (p.name.endsWith('.beta') || p.name === 'fc.bias')
        assert.ok(
          values.every((v) => v === 0),
          p.name,
        );
    }
    const x = tf.tensor4d(testVector(2 * 192, 6), [2, 8, 8, 3]);
    const y = tf.tensor1d([4, 1], 'int32');
    const shape = tf.tidy(() => model.predict(tf.tensor1d(theta), x).shape);
    assert.deepEqual(shape, [2, 5]);
    // Perturb γ/β away from 1/0 so their gradients are exercised generically.
    const perturbed = theta.map((t, i) => t + 0.1 * testVector(1, i)[0]);
    checkDirectionalDerivatives(model, { x, y, theta: perturbed });
    tf.dispose([x, y]);
  });
});

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createLossAndGradient, createModel, uvToyHessian, uvToyLossAndGradient } from './index';
import { centralDifference, testVector, useCpuBackend } from './internal/testing';

void describe('uv-toy', () => {
  before(useCpuBackend);
  const model = createModel('uv-toy');
  const xs = testVector(16, 1).map((v) => 2 * v);
  const loss64 = (theta: Float64Array): number => uvToyLossAndGradient(theta, xs, xs).loss;

  void test('layout and the sharp initial minimizer', () => {
    assert.equal(model.numParams, 2);
    assert.deepEqual(
      model.params.map((p) => [p.name, p.offset, p.size]),
      [
        ['u', 0, 1],
        ['v', 1, 1],
      ],
    );
    assert.deepEqual([...model.init(123)], [4, 0.25]);
    const out = tf.tidy(() => model.predict(tf.tensor1d([2, 3]), tf.tensor1d([1, -1])).arraySync());
    assert.deepEqual(out, [[6], [-6]]);
  });

  void test('tfjs gradient equals float64 central differences and the host path', () => {
    const tfjs = createLossAndGradient(model, { path: 'tfjs' });
    const auto = createLossAndGradient(model);
    const x = tf.tensor1d(xs);
    const y = tf.tensor2d(xs, [16, 1]);
    for (const point of [
      [4, 0.25],
      [1.3, -0.7],
      [0.2, 2],
    ]) {
      const theta = Float32Array.from(point);
      const a = tfjs(theta, x, y);
      const b = auto(theta, x, y);
      const theta64 = Float64Array.from(theta);
      assert.ok(Math.abs(a.loss - loss64(theta64)) < 1e-6 * (1 + loss64(theta64)));
      for (let j = 0; j < 2; j++) {
        const fd = centralDifference(loss64, theta64, { j, eps: 1e-6 });
        assert.ok(Math.abs(a.grad[j] - fd) < 1e-5 * (1 + Math.abs(fd)), `tfjs grad[${j}] ${a.grad[j]} vs ${fd}`);
        assert.ok(Math.abs(b.grad[j] - fd) < 1e-6 * (1 + Math.abs(fd)), `host grad[${j}] ${b.grad[j]} vs ${fd}`);
      }
    }
    tf.dispose([x, y]);
  });

  void test('uvToyHessian equals finite differences of the tfjs gradient', () => {
    const lossAndGrad = createLossAndGradient(model, { path: 'tfjs' });
    const x = tf.tensor1d(xs);
    const m = xs.reduce((s, v) => s + v * v, 0) / xs.length;
    for (const point of [
      [4, 0.25],
      [1.3, -0.7],
      [1, 1],
    ]) {
      const h = uvToyHessian(point, m);
      // The gradient is at most quadratic in each coordinate, so the central
      // difference is exact up to float32 rounding (~1e-7·|g|/ε).
      const eps = 1e-2;
      for (let j = 0; j < 2; j++) {
        const plus = Float32Array.from(point);
        const minus = Float32Array.from(point);
        plus[j] += eps;
        minus[j] -= eps;
        const gp = lossAndGrad(plus, x, x).grad;
        const gm = lossAndGrad(minus, x, x).grad;
        for (let i = 0; i < 2; i++) {
          const fd = (gp[i] - gm[i]) / (2 * eps);
          assert.ok(Math.abs(fd - h[i * 2 + j]) < 1e-3 * (1 + Math.abs(h[i * 2 + j])), `H[${i}][${j}] at [${point.join(', ')}]: ${fd} vs ${h[i * 2 + j]}`);
        }
      }
    }
    // At the sharp minimizer with m = 1: [[1/16, 1], [1, 16]].
    assert.deepEqual([...uvToyHessian([4, 0.25], 1)], [0.0625, 1, 1, 16]);
    x.dispose();
  });
});

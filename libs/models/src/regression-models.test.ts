import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createLossAndGradient, createModel, quadraticSparseLossAndGradient } from './index';
import { centralDifference, testVector, useCpuBackend } from './internal/testing';

void describe('quadratic-sparse', () => {
  before(useCpuBackend);

  void test('v₀ = 1, loss ¼(f − y)², gradient against float64 central differences', () => {
    const d = 100;
    const b = 8;
    const model = createModel('quadratic-sparse', { d });
    assert.equal(model.numParams, d);
    assert.ok(model.init(5).every((v) => v === 1));
    const xs = testVector(b * d, 2);
    const ys = testVector(b, 3);
    const theta = testVector(d, 4);
    const theta64 = Float64Array.from(theta);
    const loss64 = (t: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < b; i++) {
        let f = 0;
        for (let j = 0; j < d; j++) f += t[j] * t[j] * xs[i * d + j];
        s += 0.25 * (f - ys[i]) ** 2;
      }
      return s / b;
    };
    const x = tf.tensor2d(xs, [b, d]);
    const y = tf.tensor1d(ys);
    const viaTfjs = createLossAndGradient(model, { path: 'tfjs' })(theta, x, y);
    const viaHost = createLossAndGradient(model)(theta, x, y);
    const reference = loss64(theta64);
    assert.ok(Math.abs(viaTfjs.loss - reference) < 1e-5 * (1 + reference));
    assert.ok(Math.abs(quadraticSparseLossAndGradient(theta64, { x: xs, y: ys }).loss - reference) < 1e-12 * (1 + reference));
    for (let j = 0; j < d; j++) {
      const fd = centralDifference(loss64, theta64, { j, eps: 1e-6 });
      assert.ok(Math.abs(viaTfjs.grad[j] - fd) < 1e-4 * (1 + Math.abs(fd)), `tfjs grad[${j}] ${viaTfjs.grad[j]} vs ${fd}`);
      assert.ok(Math.abs(viaHost.grad[j] - fd) < 1e-6 * (1 + Math.abs(fd)), `host grad[${j}] ${viaHost.grad[j]} vs ${fd}`);
    }
    tf.dispose([x, y]);
  });
});

void describe('linreg-diag', () => {
  before(useCpuBackend);

  void test('gradient equals Xᵀ(Xθ − y)/n in float64', () => {
    const d = 12;
    const model = createModel('linreg-diag', { d });
    const xs = testVector(5 * d, 8);
    const ys = testVector(5, 9);
    const theta = testVector(d, 10);
    const lossAndGrad = createLossAndGradient(model);
    const x = tf.tensor2d(xs, [5, d]);
    const y = tf.tensor1d(ys);
    const { loss, grad } = lossAndGrad(theta, x, y);
    const r = Array.from({ length: 5 }, (_, i) => xs.subarray(i * d, (i + 1) * d).reduce((s, v, j) => s + v * theta[j], 0) - ys[i]);
    assert.ok(Math.abs(loss - r.reduce((s, v) => s + 0.5 * v * v, 0) / 5) < 1e-6);
    for (let j = 0; j < d; j++) {
      const g = r.reduce((s, ri, i) => s + ri * xs[i * d + j], 0) / 5;
      assert.ok(Math.abs(grad[j] - g) < 1e-6, `grad[${j}] ${grad[j]} vs ${g}`);
    }
    assert.deepEqual(model.init(3), new Float32Array(d));
    assert.ok(
      createModel('linreg-diag', { d, initStd: 0.1 })
        .init(3)
        .some((v) => v !== 0),
    );
    tf.dispose([x, y]);
  });

  void test('Hessian from finite differences of the gradient is diag(k/d), d = 1000', () => {
    const d = 1000;
    const model = createModel('linreg-diag', { d });
    // The data of @lnsgd/data's linregDiagData: x_k = √k·e_k, y = 0.
    const xs = new Float32Array(d * d);
    for (let k = 0; k < d; k++) xs[k * d + k] = Math.sqrt(k + 1);
    const x = tf.tensor2d(xs, [d, d]);
    const y = tf.zeros([d]);
    const lossAndGrad = createLossAndGradient(model);
    const theta0 = testVector(d, 11);
    const g0 = lossAndGrad(theta0, x, y).grad;
    // The loss is quadratic, so a forward difference with ε = 1 is exact up to
    // float32 rounding; column k is ∇L(θ₀ + e_k) − ∇L(θ₀).
    let trace = 0;
    let maxOffDiagonal = 0;
    let maxDiagonalError = 0;
    for (let k = 0; k < d; k++) {
      const theta = Float32Array.from(theta0);
      theta[k] += 1;
      const g = lossAndGrad(theta, x, y).grad;
      for (let i = 0; i < d; i++) {
        const h = g[i] - g0[i];
        if (i === k) {
          maxDiagonalError = Math.max(maxDiagonalError, Math.abs(h - (k + 1) / d));
          trace += h;
        } else {
          maxOffDiagonal = Math.max(maxOffDiagonal, Math.abs(h));
        }
      }
    }
    console.log(
      `linreg-diag FD Hessian: max |diag − k/d| = ${maxDiagonalError.toExponential(2)}, max |offdiag| = ${maxOffDiagonal.toExponential(2)}, trace = ${trace}`,
    );
    assert.ok(maxDiagonalError < 1e-6);
    assert.equal(maxOffDiagonal, 0);
    assert.ok(Math.abs(trace - 500.5) < 1e-4);
    tf.dispose([x, y]);
  });
});

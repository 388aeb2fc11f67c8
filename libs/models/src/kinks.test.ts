import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createFrozenKinkGradient, createLossAndGradient, createModel, freeKinks, recordKinks, replayKinks } from './index';
import type { Model } from './index';
import { testVector, useCpuBackend } from './internal/testing';

const kinked: [string, Model, number[]][] = [
  ['mlp', createModel('mlp', { sizes: [6, 7, 3] }), [6]],
  ['cnn-small (odd sizes: cropped pools)', createModel('cnn-small', { inputShape: [9, 7, 2], numClasses: 3 }), [9, 7, 2]],
  ['resnet18', createModel('resnet18', { width: 2, inputShape: [8, 8, 3], numClasses: 3, groups: 2 }), [8, 8, 3]],
];

function batch(shape: number[], n: number): { x: tf.Tensor; y: tf.Tensor } {
  const d = shape.reduce((a, b) => a * b, 1);
  return {
    x: tf.tensor(testVector(n * d, 5), [n, ...shape]),
    y: tf.tensor1d(
      Int32Array.from({ length: n }, (_, i) => i % 3),
      'int32',
    ),
  };
}

function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    s += b[i] ** 2;
  }
  return Math.sqrt(d / s);
}

void describe('frozen kinks', () => {
  before(useCpuBackend);

  for (const [label, model, shape] of kinked) {
    void test(`${label}: the replayed loss has L's gradient at θ, and nothing leaks`, () => {
      const { x, y } = batch(shape, 5);
      const theta = model.init(2);
      const free = createLossAndGradient(model)(theta, x, y);
      const before = tf.memory().numTensors;
      for (let rep = 0; rep < 3; rep++) {
        const frozen = createFrozenKinkGradient(model, { theta, x, y });
        assert.ok(frozen.kinks > 0);
        assert.ok(relDiff(frozen.gradient(theta), free.grad) < 1e-6, label);
        frozen.dispose();
        assert.equal(tf.memory().numTensors, before, `${label}: rep ${rep} left tensors`);
      }
      assert.throws(() => {
        const f = createFrozenKinkGradient(model, { theta, x, y });
        f.dispose();
        f.gradient(theta);
      }, /after dispose/);
      tf.dispose([x, y]);
    });
  }

  void test("free kinks are the model's own loss", () => {
    const [, model, shape] = kinked[1];
    const { x, y } = batch(shape, 3);
    const theta = model.init(1);
    const w = model.params.map((p) => tf.tensor(theta.subarray(p.offset, p.offset + p.size), p.shape as number[]));
    const a = model.lossOfWeights?.(w, x, y);
    const b = model.kinkedLossOfWeights?.(freeKinks)(w, x, y);
    assert.ok(a !== undefined && b !== undefined);
    assert.equal(a.dataSync()[0], b.dataSync()[0]);
    tf.dispose([a, b, x, y, ...w]);
  });

  void test('a replayed max-pool returns the maximum, splitting ties, and replays the recorded choice', () => {
    // One 2×2 window per channel: channel 0 has a unique maximum (3), channel 1 a tie (2, 2).
    const z = tf.tensor4d([1, 2, 3, 2, 0, 1, -1, 0], [1, 2, 2, 2]);
    const tape = recordKinks();
    const pooled = tape.maxPool2(z);
    assert.deepEqual(Array.from(pooled.dataSync()), [3, 2]);
    assert.deepEqual(Array.from(tape.masks[0].dataSync()), [0, 0.5, 1, 0.5, 0, 0, 0, 0]);
    const replay = replayKinks(tape);
    replay.rewind();
    // Moving the maximum elsewhere does not change the recorded choice.
    const moved = tf.tensor4d([9, 2, 3, 2, 0, 1, -1, 0], [1, 2, 2, 2]);
    const out = replay.maxPool2(moved);
    assert.deepEqual(Array.from(out.dataSync()), [3, 2]);
    assert.throws(() => replay.relu(z), /not recorded/);
    tape.dispose();
    tf.dispose([z, pooled, moved, out]);
  });

  void test('mlp: central differences of the frozen gradient give the closed-form Hessian where plain ones cross kinks', () => {
    // One hidden ReLU layer, ½ squared error: with the mask m fixed at θ, f = Σ_j v_j m_j (w_jᵀx + b_j) + c is
    // bilinear in (w, b) and v, so ∇²L has the closed form below (float64, no tfjs).
    const [d, h, n] = [3, 32, 64];
    const model = createModel('mlp', { sizes: [d, h, 1], task: 'regression' });
    const xs = testVector(n * d, 11);
    const ys = testVector(n, 12);
    const theta = model.init(4);
    const x = tf.tensor2d(xs, [n, d]);
    const y = tf.tensor1d(ys);
    const W = (i: number, j: number): number => theta[i * h + j];
    const bOff = d * h;
    const vOff = bOff + h;
    const hessian = new Float64Array(model.numParams * model.numParams);
    const dim = model.numParams;
    for (let s = 0; s < n; s++) {
      const pre = Array.from({ length: h }, (_, j) => {
        let z = theta[bOff + j];
        for (let i = 0; i < d; i++) z += xs[s * d + i] * W(i, j);
        return z;
      });
      const m = pre.map((z) => (z > 0 ? 1 : 0));
      let f = theta[vOff + h];
      for (let j = 0; j < h; j++) f += theta[vOff + j] * m[j] * pre[j];
      const r = f - ys[s];
      // J = ∂f/∂θ; ∇²L_s = J Jᵀ + r·∂²f/∂θ² (the only second derivatives: ∂²f/∂v_j∂(w_ij, b_j) = m_j x_i, m_j).
      const J = new Float64Array(dim);
      for (let j = 0; j < h; j++) {
        for (let i = 0; i < d; i++) J[i * h + j] = theta[vOff + j] * m[j] * xs[s * d + i];
        J[bOff + j] = theta[vOff + j] * m[j];
        J[vOff + j] = m[j] * pre[j];
      }
      J[vOff + h] = 1;
      for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) hessian[a * dim + b] += (J[a] * J[b]) / n;
      for (let j = 0; j < h; j++) {
        const pairs: [number, number][] = [[bOff + j, m[j]], ...Array.from({ length: d }, (_, i): [number, number] => [i * h + j, m[j] * xs[s * d + i]])];
        for (const [p, val] of pairs) {
          hessian[p * dim + vOff + j] += (r * val) / n;
          hessian[(vOff + j) * dim + p] += (r * val) / n;
        }
      }
    }
    const frozen = createFrozenKinkGradient(model, { theta, x, y });
    const plain = createLossAndGradient(model);
    const raw = testVector(dim, 13);
    const rawNorm = Math.hypot(...raw);
    const v = raw.map((r) => r / rawNorm);
    const exact = Array.from({ length: dim }, (_, a) => v.reduce((acc, vb, b) => acc + hessian[a * dim + b] * vb, 0));
    const fd = (g: (t: Float32Array) => Float32Array, eps: number): Float64Array => {
      const plus = theta.map((t, i) => t + eps * v[i]);
      const minus = theta.map((t, i) => t - eps * v[i]);
      const gp = g(plus);
      const gm = g(minus);
      return Float64Array.from(gp, (p, i) => (p - gm[i]) / (2 * eps));
    };
    const eps = 0.1; // large enough to move hidden units across zero along v
    const plainErr = relDiff(
      fd((t) => Float32Array.from(plain(t, x, y).grad), eps),
      exact,
    );
    assert.ok(plainErr > 1e-2, `the plain difference should cross kinks at ε = ${eps} (error ${plainErr})`);
    // Frozen: only the smooth O(ε²) truncation of a quartic loss (≈2e-4 at 0.1, ≈5e-5 at 0.05).
    const frozenErr = relDiff(fd(frozen.gradient, eps), exact);
    const frozenHalf = relDiff(fd(frozen.gradient, eps / 2), exact);
    assert.ok(frozenHalf < 1e-4, `frozen-kink HVP off by ${frozenHalf} at ε = ${eps / 2}`);
    assert.ok(frozenErr / frozenHalf > 3 && frozenErr / frozenHalf < 5, `truncation should scale as ε²: ${frozenErr} → ${frozenHalf}`);
    frozen.dispose();
    tf.dispose([x, y]);
  });
});

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Activation, Model, ModelTask } from './index';
import { createLossAndGradient, createModel } from './index';
import { centralDifference, testVector, useCpuBackend } from './internal/testing';

/** Float64 reference MLP loss, parameters read from θ by the model's layout. */
function referenceLoss(model: Model, opts: { activation: Activation; task: ModelTask; x: Float32Array; y: ArrayLike<number> }) {
  const layers = model.params.length / 2;
  return (theta: Float64Array): number => {
    const b = opts.y.length / (opts.task === 'classification' ? 1 : model.outputSize);
    const inSize = model.params[0].shape[0];
    let total = 0;
    for (let i = 0; i < b; i++) {
      let h = Array.from(opts.x.subarray(i * inSize, (i + 1) * inSize));
      for (let l = 0; l < layers; l++) {
        const k = model.params[2 * l];
        const bias = model.params[2 * l + 1];
        const [nIn, nOut] = k.shape;
        const next = new Array<number>(nOut).fill(0);
        for (let o = 0; o < nOut; o++) {
          let s = theta[bias.offset + o];
          for (let j = 0; j < nIn; j++) s += h[j] * theta[k.offset + j * nOut + o];
          next[o] = l + 1 < layers ? (opts.activation === 'relu' ? Math.max(0, s) : Math.tanh(s)) : s;
        }
        h = next;
      }
      if (opts.task === 'classification') {
        const max = Math.max(...h);
        const lse = max + Math.log(h.reduce((s, v) => s + Math.exp(v - max), 0));
        total += lse - h[opts.y[i]];
      } else {
        total += 0.5 * h.reduce((s, v, o) => s + (v - opts.y[i * h.length + o]) ** 2, 0);
      }
    }
    return total / b;
  };
}

void describe('mlp', () => {
  before(useCpuBackend);

  void test('default 784-512-10: layout, count, init statistics, deterministic in seed', () => {
    const model = createModel('mlp');
    assert.equal(model.numParams, 784 * 512 + 512 + 512 * 10 + 10);
    assert.deepEqual(
      model.params.map((p) => p.name),
      ['dense0.kernel', 'dense0.bias', 'dense1.kernel', 'dense1.bias'],
    );
    assert.deepEqual(model.params[2].shape, [512, 10]);
    const a = model.init(1);
    assert.deepEqual(a, model.init(1));
    assert.notDeepEqual(a.subarray(0, 100), model.init(2).subarray(0, 100));
    const k0 = a.subarray(0, 784 * 512);
    const variance = k0.reduce((s, v) => s + v * v, 0) / k0.length;
    // He: 2/784 = 2.551e-3; 401k draws put the sample variance within 0.5% (≈ 2.2 sd).
    assert.ok(Math.abs(variance / (2 / 784) - 1) < 0.01, `variance ${variance}`);
    assert.ok(a.subarray(model.params[1].offset, model.params[1].offset + 512).every((v) => v === 0));
    assert.equal(model.task, 'classification');
    assert.equal(model.numClasses, 10);
  });

  const cases: { activation: Activation; task: ModelTask }[] = [
    { activation: 'relu', task: 'classification' },
    { activation: 'tanh', task: 'classification' },
    { activation: 'relu', task: 'regression' },
    { activation: 'tanh', task: 'regression' },
  ];
  for (const { activation, task } of cases) {
    void test(`${activation} ${task}: loss and gradient against float64 central differences`, () => {
      const sizes = task === 'classification' ? [5, 4, 6, 3] : [5, 4, 2];
      const model = createModel('mlp', { sizes, activation, task });
      const b = 6;
      const xs = testVector(b * 5, 21);
      const ys = task === 'classification' ? Int32Array.from({ length: b }, (_, i) => i % 3) : testVector(b * 2, 22);
      const theta = model.init(7);
      // Non-zero biases so the test exercises them.
      for (const p of model.params)
        if (p.shape.length === 1)
          theta.set(
            testVector(p.size, p.offset).map((v) => 0.3 * v),
            p.offset,
          );
      const x = tf.tensor2d(xs, [b, 5]);
      const y = task === 'classification' ? tf.tensor1d(ys, 'int32') : tf.tensor2d(ys, [b, 2]);
      const { loss, grad } = createLossAndGradient(model)(theta, x, y);
      const ref = referenceLoss(model, { activation, task, x: xs, y: ys });
      const theta64 = Float64Array.from(theta);
      assert.ok(Math.abs(loss - ref(theta64)) < 1e-5 * (1 + ref(theta64)), `loss ${loss} vs ${ref(theta64)}`);
      for (let j = 0; j < model.numParams; j++) {
        const fd = centralDifference(ref, theta64, { j, eps: 1e-6 });
        assert.ok(Math.abs(grad[j] - fd) < 1e-5 + 1e-4 * Math.abs(fd), `grad[${j}] ${grad[j]} vs ${fd}`);
      }
      const metric = tf.tidy(() => model.metric(tf.tensor1d(theta), x, y).dataSync()[0]);
      if (task === 'regression') assert.ok(Math.abs(metric - loss) < 1e-6);
      else assert.ok(metric >= 0 && metric <= 1 && Math.abs(metric * b - Math.round(metric * b)) < 1e-5);
      tf.dispose([x, y]);
    });
  }

  void test('accuracy counts arg-max hits; accepts image-shaped inputs', () => {
    const model = createModel('mlp', { sizes: [4, 2], inputShape: [2, 2, 1] });
    // Identity-like kernel: logit c = x[c].
    const theta = Float32Array.of(1, 0, 0, 1, 0, 0, 0, 0, 0, 0);
    const acc = tf.tidy(() => {
      const x = tf.tensor4d([1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0], [3, 2, 2, 1]);
      return model.metric(tf.tensor1d(theta), x, tf.tensor1d([0, 1, 1], 'int32')).dataSync()[0];
    });
    assert.ok(Math.abs(acc - 2 / 3) < 1e-6);
  });

  void test('errors name the model, the argument and the shapes', () => {
    const model = createModel('mlp', { sizes: [3, 2] });
    tf.tidy(() => {
      const theta = tf.zeros<tf.Rank.R1>([8]);
      assert.throws(() => model.predict(tf.zeros<tf.Rank.R1>([7]), tf.zeros([2, 3])), /mlp: theta must have shape \[8\], got \[7\]/);
      assert.throws(() => model.predict(theta, tf.zeros([2, 4])), /mlp: x must have shape \[B, 3\] \(or \[B, 3\]\), got \[2, 4\]/);
      assert.throws(() => model.loss(theta, tf.zeros([2, 3]), tf.zeros([2])), /mlp: labels must be int32 class ids, got float32/);
      assert.throws(() => model.loss(theta, tf.zeros([2, 3]), tf.zeros([3], 'int32')), /mlp: labels must have shape \[2\], got \[3\]/);
    });
    assert.throws(() => createModel('mlp', { sizes: [3] }), /createMlp: sizes must be at least two positive integers, got \[3\]/);
    assert.throws(() => createLossAndGradient(model)(new Float32Array(3), tf.zeros([1, 3]), tf.zeros([1], 'int32')), /theta must have length 8, got 3/);
  });
});

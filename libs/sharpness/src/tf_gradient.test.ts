import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { finiteDifferenceHvp } from './finite_difference_hvp';
import { lanczos } from './lanczos';
import { tfGradient } from './tf_gradient';
import { MLP_DIM, mlpData, mlpLossTf, mlpTensors, mlpTheta } from './internal/tiny_mlp';

void before(async () => {
  await tf.setBackend('cpu');
});

void describe('tfGradient', () => {
  void test('gradient of Σθ² is 2θ', () => {
    const grad = tfGradient((t) => t.square().sum());
    assert.deepEqual(Array.from(grad(Float32Array.from([1, -2, 0.5]))), [2, -4, 1]);
  });

  void test('no tensor leak across 100 Lanczos calls on the tiny MLP (numTensors flat)', () => {
    const data = mlpData();
    const tensors = mlpTensors(data);
    const gradient = tfGradient((t) => mlpLossTf(t, tensors));
    const theta = Float32Array.from(mlpTheta());
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    for (let call = 0; call < 100; call++) {
      const hvp = finiteDifferenceHvp({ gradient, theta });
      const r = lanczos(hvp, { dim: MLP_DIM, steps: 3, seed: call });
      assert.ok(Number.isFinite(r.values[0]));
      if (call % 10 === 9) counts.push(tf.memory().numTensors);
    }
    assert.deepEqual(counts, new Array<number>(10).fill(before));
    tensors.x.dispose();
    tensors.y.dispose();
  });
});

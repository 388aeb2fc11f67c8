import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertNoLeaks, onBackend, randomArray } from '../../internal/testing';
import { installedWasmFastPaths } from './install';

void describe('Identity fast path (wasm)', () => {
  before(async () => {
    await initBackend({ request: 'wasm' });
    assert.ok(installedWasmFastPaths().includes('Identity'));
  });

  void test('a clone has the same values and outlives its source', async () => {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const run = (): number[] => {
        const x = tf.tensor(
          Array.from(randomArray(12, 3), (v) => (dtype === 'float32' ? v : Number(v > 0))),
          [3, 4],
          dtype,
        );
        const y = tf.clone(x);
        x.dispose();
        assert.equal(y.dtype, dtype);
        assert.deepEqual(y.shape, [3, 4]);
        return Array.from(y.dataSync());
      };
      assert.deepEqual(await onBackend('wasm', run), await onBackend('cpu', run), dtype);
    }
  });

  void test('gradients through saved (cloned) tensors match cpu', async () => {
    const run = (): number[] => {
      const w = tf.tensor2d(randomArray(35, 4), [5, 7]);
      const x = tf.tensor2d(randomArray(15, 5), [3, 5]);
      return Array.from(
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.matMul(x, t)))))(w)
          .dataSync(),
      );
    };
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    actual.forEach((v, i) => assert.ok(Math.abs(v - (expected[i] ?? NaN)) <= 1e-4 * Math.max(1, Math.abs(expected[i] ?? 0)), `element ${i}`));
  });

  void test('leaks neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      const x = tf.tensor(randomArray(60, 1), [3, 4, 5]);
      assertNoLeaks(() => void tf.clone(tf.clone(x)).dataSync());
    });
  });
});

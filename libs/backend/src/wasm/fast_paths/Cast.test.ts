import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertNoLeaks, onBackend, randomArray } from '../../internal/testing';
import { installedWasmFastPaths } from './install';

type Dtype = 'float32' | 'int32' | 'bool';

void describe('Cast fast path (wasm)', () => {
  before(async () => {
    await initBackend({ request: 'wasm' });
    assert.ok(installedWasmFastPaths().includes('Cast'));
  });

  const pairs: [Dtype, Dtype][] = [
    ['float32', 'float32'],
    ['int32', 'int32'],
    ['bool', 'bool'], // shared buffer
    ['float32', 'int32'],
    ['int32', 'float32'],
    ['bool', 'float32'], // stock
    ['float32', 'bool'],
    ['int32', 'bool'], // x != 0 (the stock kernel gave 3.7 -> 3, -2 -> 254)
  ];
  for (const [from, to] of pairs) {
    void test(`${from} -> ${to} matches cpu and outlives its source`, async () => {
      const run = (): { dtype: string; shape: number[]; values: number[] } => {
        const raw = Array.from(randomArray(3 * 5 * 2, 7), (v) => (from === 'float32' ? 3 * v : Math.round(3 * v)));
        const x = tf.tensor(
          raw.map((v) => (from === 'bool' ? Number(v > 0) : v)),
          [3, 5, 2],
          from,
        );
        const y = tf.cast(x, to);
        x.dispose();
        return { dtype: y.dtype, shape: y.shape, values: Array.from(y.dataSync()) };
      };
      assert.deepEqual(await onBackend('wasm', run), await onBackend('cpu', run));
    });
  }

  void test('numbers to bool are x != 0, NaN and ±Infinity true, as on cpu', async () => {
    const values = [0, -0, 0.5, -2, 256, 3.7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-30];
    const run = (): number[] => Array.from(tf.cast(tf.tensor1d(values), 'bool').dataSync());
    assert.deepEqual(await onBackend('wasm', run), [0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(await onBackend('cpu', run), [0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    const ints = (): number[] => Array.from(tf.cast(tf.tensor1d([0, 256, -1, 7], 'int32'), 'bool').dataSync());
    assert.deepEqual(await onBackend('wasm', ints), [0, 1, 1, 1]);
  });

  void test('the ReLU gradient (step mask cast to float32) matches cpu', async () => {
    const run = (): number[] => {
      const x = tf.tensor2d(randomArray(7 * 9, 3), [7, 9]);
      return Array.from(
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), tf.relu(t))))(x)
          .dataSync(),
      );
    };
    assert.deepEqual(await onBackend('wasm', run), await onBackend('cpu', run));
  });

  void test('leaks neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      const x = tf.tensor(randomArray(60, 1), [3, 4, 5]);
      assertNoLeaks(() => void tf.cast(tf.cast(x, 'float32'), 'int32').dataSync());
    });
  });
});

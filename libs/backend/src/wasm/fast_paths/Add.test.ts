import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertNoLeaks, onBackend, onWasmWithGemm, randomArray } from '../../internal/testing';
import { installedWasmFastPaths } from './install';

/** [shape of a, shape of b]: a bias on either side takes the fast path, the rest the stock kernel. */
const CASES: [number[], number[]][] = [
  [[256, 512], [512]], // the MLP's hidden bias: vectors only
  [[256, 10], [10]], // its output bias: two vectors and a scalar tail per row
  [[10], [7, 3, 10]], // bias first
  [[5, 7, 9, 3], [3]], // a conv bias: scalar tail only
  [
    [5, 7, 9, 3],
    [1, 1, 3],
  ],
  [
    [4, 6, 5],
    [6, 5],
  ], // a bias over the two trailing axes
  [
    [3, 1, 5],
    [1, 5],
  ],
  [[0, 5], [5]], // no rows
  [[1, 13], [13]],
  [
    [4, 6],
    [4, 6],
  ], // equal shapes: stock
  [
    [4, 6],
    [4, 1],
  ], // a column broadcast: stock
  [[4, 1], [6]], // both broadcast: stock
  [[3, 4], []], // a scalar: stock
];

void describe('Add fast path (wasm)', () => {
  before(async () => {
    await initBackend({ request: 'wasm' });
    assert.ok(installedWasmFastPaths().includes('Add'));
  });

  for (const simd of [true, false]) {
    for (const [i, [aShape, bShape]] of CASES.entries()) {
      const label = `${simd ? 'SIMD addrows' : 'stock (no SIMD module)'}: a [${aShape.join(',')}] + b [${bShape.join(',')}]`;
      void test(`matches cpu bit for bit: ${label}`, async () => {
        const run = (): { shape: number[]; values: Float32Array } => {
          const a = tf.tensor(randomArray(tf.util.sizeFromShape(aShape), 2 * i), aShape);
          const b = tf.tensor(randomArray(tf.util.sizeFromShape(bShape), 2 * i + 1), bShape);
          const out = tf.add(a, b);
          return { shape: out.shape, values: out.dataSync() as Float32Array };
        };
        const expected = await onBackend('cpu', run);
        const actual = await onWasmWithGemm(simd, run);
        assert.deepEqual(actual.shape, expected.shape, label);
        // One float32 addition per element on both backends: identical bits.
        assert.deepEqual(Array.from(actual.values), Array.from(expected.values), label);
      });
    }
  }

  void test('int32 adds go to the stock kernel and stay exact', async () => {
    const run = (): number[] => Array.from(tf.add(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), tf.tensor1d([10, 20], 'int32')).dataSync());
    assert.deepEqual(await onBackend('wasm', run), [11, 22, 13, 24, 15, 26]);
  });

  void test('the gradient of a bias add is unchanged (dx = dy, dbias = column sums)', async () => {
    const run = (): number[][] => {
      const x = tf.tensor(randomArray(6 * 5, 3), [6, 5]);
      const bias = tf.tensor(randomArray(5, 4), [5]);
      const grads = tf.grads((xx: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tf.add(xx, bb), tf.add(xx, bb))))([x, bias]);
      return grads.map((g) => Array.from(g.dataSync()));
    };
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    actual.forEach((g, k) => g.forEach((v, j) => assert.ok(Math.abs(v - (expected[k]?.[j] ?? NaN)) <= 1e-5 * (1 + Math.abs(v)), `grad ${k}[${j}]`)));
  });

  void test('leaks neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      const x = tf.tensor(randomArray(60, 1), [3, 4, 5]);
      const bias = tf.tensor(randomArray(5, 2), [5]);
      assertNoLeaks(() => void tf.add(x, bias).dataSync());
    });
  });
});

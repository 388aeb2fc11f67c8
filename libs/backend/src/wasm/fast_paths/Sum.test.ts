import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertClose, assertNoLeaks, onBackend, onWasmWithGemm, randomArray } from '../../internal/testing';
import { installedWasmFastPaths } from './install';

/** [shape, axis, keepDims]: leading axes take the fast path, the others the stock kernel. */
const CASES: [number[], number | number[], boolean][] = [
  [[256, 17], 0, false], // a bias gradient
  [[256, 512], 0, false], // the MLP's: 4-column SIMD strips only
  [[3000, 7], 0, false], // long columns, SIMD strip and scalar tail
  [[0, 5], 0, false], // no rows: zeros
  [[5, 7, 9, 3], [0, 1, 2], false], // a conv bias gradient
  [[5, 7, 9, 3], [1, 0], true],
  [[3, 1, 4], [0, 1], false],
  [[7, 5], -2, false],
  [[7, 5], 1, false], // innermost: stock
  [[4, 6, 5], [0, 2], true], // not a prefix: stock
  [[4, 6], [0, 1], false], // everything: stock
];

void describe('Sum fast path (wasm)', () => {
  before(async () => {
    await initBackend({ request: 'wasm' });
    assert.ok(installedWasmFastPaths().includes('Sum'));
  });

  for (const simd of [true, false]) {
    for (const [shape, axis, keepDims] of CASES) {
      const label = `${simd ? 'SIMD colsum' : 'JS loop'}: x [${shape.join(',')}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
      void test(`matches cpu: ${label}`, async () => {
        const run = (): { shape: number[]; values: Float32Array } => {
          const out = tf.sum(tf.tensor(randomArray(tf.util.sizeFromShape(shape), shape.length), shape), axis, keepDims);
          return { shape: out.shape, values: out.dataSync() as Float32Array };
        };
        const expected = await onBackend('cpu', run);
        const actual = await onWasmWithGemm(simd, run);
        assert.deepEqual(actual.shape, expected.shape, label);
        assertClose(actual.values, expected.values, label);
      });
    }
  }

  void test('int32 sums go to the stock kernel and stay exact', async () => {
    const run = (): number[] => Array.from(tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0).dataSync());
    assert.deepEqual(await onBackend('wasm', run), [9, 12]);
  });

  void test('leaks neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      const x = tf.tensor(randomArray(60, 1), [3, 4, 5]);
      assertNoLeaks(() => void tf.sum(x, [0, 1]).dataSync());
    });
  });
});

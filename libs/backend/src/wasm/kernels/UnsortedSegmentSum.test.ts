import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertClose, onBackend, randomArray } from '../../internal/testing';

void describe('UnsortedSegmentSum (wasm)', () => {
  before(async () => {
    await initBackend({ request: 'wasm' });
  });

  void test('sums rows by segment, dropping out-of-range ids', async () => {
    const out = await onBackend('wasm', () =>
      tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]), tf.tensor1d([0, 2, 0, 5], 'int32'), 3).dataSync(),
    );
    assert.deepEqual(Array.from(out), [6, 8, 0, 0, 3, 4]);
  });

  void test('matches cpu on a rank-3 input with rank-1 ids', async () => {
    const run = (): Float32Array => {
      const x = tf.tensor3d(randomArray(17 * 3 * 5, 4), [17, 3, 5]);
      const ids = tf.tensor1d(
        Array.from({ length: 17 }, (_, i) => (i * 7) % 4),
        'int32',
      );
      return tf.unsortedSegmentSum(x, ids, 4).dataSync() as Float32Array;
    };
    assertClose(await onBackend('wasm', run), await onBackend('cpu', run), 'rank 3');
  });

  void test('makes tf.gather differentiable on wasm', async () => {
    const run = (): Float32Array => {
      const x = tf.tensor2d(randomArray(6 * 3, 5), [6, 3]);
      return tf
        .grad((t: tf.Tensor) => tf.gather(t, [1, 4, 1, 0]).square().sum())(x)
        .dataSync() as Float32Array;
    };
    assertClose(await onBackend('wasm', run), await onBackend('cpu', run), 'gather gradient');
  });
});

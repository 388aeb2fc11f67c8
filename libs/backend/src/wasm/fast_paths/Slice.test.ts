import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertNoLeaks, onBackend, randomArray } from '../../internal/testing';
import { installedWasmFastPaths } from './install';

/** [shape, begin, size] (size may hold −1: to the end of the axis). */
type SliceCase = [number[], number[], number[]];

const SLICES: SliceCase[] = [
  [[407], [0], [401]], // a piece of θ
  [[407], [401], [-1]],
  [
    [7, 5],
    [2, 0],
    [3, 5],
  ], // whole rows: one contiguous run
  [
    [7, 5],
    [1, 2],
    [4, 3],
  ], // strided rows
  [
    [3, 4, 5],
    [1, 1, 1],
    [2, 2, 3],
  ],
  [
    [3, 4, 5],
    [0, 2, 0],
    [3, 2, 5],
  ],
  [
    [2, 3, 4, 5],
    [1, 0, 1, 0],
    [1, 3, 2, 5],
  ],
  [
    [2, 3, 4, 5],
    [0, 1, 2, 3],
    [2, 1, 2, 2],
  ],
  [
    [2, 2, 3, 2, 3],
    [1, 0, 1, 0, 1],
    [1, 2, 2, 2, 2],
  ], // rank 5
  [
    [4, 3],
    [1, 1],
    [0, 2],
  ], // empty
];

/** Slices a deterministic tensor of `dtype` and returns shape and values. */
function runSlice(c: SliceCase, dtype: 'float32' | 'int32' | 'bool'): { shape: number[]; values: number[] } {
  const [shape, begin, size] = c;
  const values = randomArray(tf.util.sizeFromShape(shape), shape.length);
  const x =
    dtype === 'float32'
      ? tf.tensor(values, shape)
      : tf.tensor(
          Array.from(values, (v) => (dtype === 'bool' ? Number(v > 0) : Math.round(10 * v))),
          shape,
          dtype,
        );
  const out = tf.slice(x, begin, size);
  assert.equal(out.dtype, dtype);
  return { shape: out.shape, values: Array.from(out.dataSync()) };
}

void describe('Slice and SplitV fast paths (wasm)', () => {
  before(async () => {
    await initBackend({ request: 'wasm' });
    assert.ok(installedWasmFastPaths().includes('Slice'));
    assert.ok(installedWasmFastPaths().includes('SplitV'));
  });

  for (const c of SLICES) {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const label = `x [${c[0].join(',')}] begin [${c[1].join(',')}] size [${c[2].join(',')}] ${dtype}`;
      void test(`slice matches cpu exactly: ${label}`, async () => {
        const expected = await onBackend('cpu', () => runSlice(c, dtype));
        const actual = await onBackend('wasm', () => runSlice(c, dtype));
        assert.deepEqual(actual, expected, label);
      });
    }
  }

  /** [shape, numOrSizeSplits, axis]. */
  const SPLITS: [number[], number[] | number, number][] = [
    [[407050], [401408, 512, 5120, 10], 0], // the MLP's θ
    [[20], [3, -1, 5], 0],
    [[4, 6, 5], 3, 1],
    [[4, 6, 5], [1, 4], -1],
    [[3, 2, 4, 2], [2, 1], 0],
  ];
  for (const [shape, splits, axis] of SPLITS) {
    const label = `x [${shape.join(',')}] split ${JSON.stringify(splits)} axis ${axis}`;
    void test(`split matches cpu exactly: ${label}`, async () => {
      const run = (): { shape: number[]; values: number[] }[] =>
        tf
          .split(tf.tensor(randomArray(tf.util.sizeFromShape(shape), 5), shape), splits, axis)
          .map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
      const expected = await onBackend('cpu', run);
      const actual = await onBackend('wasm', run);
      assert.deepEqual(actual, expected, label);
    });
  }

  void test('split gradient (concat) and slice gradient match cpu', async () => {
    const run = (): number[] => {
      const x = tf.tensor1d(randomArray(30, 7));
      const g = tf.grad((t: tf.Tensor) => {
        const [a, b] = tf.split(t, [12, 18]);
        return tf.add(tf.sum(tf.square(a)), tf.sum(tf.mul(tf.slice(b, [3], [9]), 3)));
      })(x);
      return Array.from(g.dataSync());
    };
    assert.deepEqual(await onBackend('wasm', run), await onBackend('cpu', run));
  });

  void test('leaks neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      const x = tf.tensor(randomArray(60, 1), [3, 4, 5]);
      assertNoLeaks(() => {
        tf.slice(x, [1, 1, 1], [2, 2, 3]).dataSync();
        tf.split(x, [1, 3], 1).forEach((t) => t.dataSync());
      });
    });
  });
});

import * as tf from '@tensorflow/tfjs';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertClose, assertNoLeaks, onBackend, randomArray } from '../../internal/testing';

interface Case {
  x: [number, number, number, number];
  filter: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { x: [1, 4, 4, 1], filter: 2, strides: 2, pad: 'valid' },
  { x: [2, 8, 8, 3], filter: 2, strides: 2, pad: 'valid' }, // stock wasm: scaled error 0.47
  { x: [2, 7, 7, 3], filter: 2, strides: 2, pad: 'valid' },
  { x: [3, 7, 9, 2], filter: 2, strides: 2, pad: 'same' },
  { x: [2, 8, 8, 3], filter: 3, strides: 1, pad: 'same' }, // overlapping windows accumulate
  { x: [2, 9, 8, 4], filter: 3, strides: 2, pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 2], strides: [1, 2], pad: 'valid' },
];

/** dx of sum(maxPool(x) · dy); `ties` rounds and rectifies x so windows hold equal maxima. */
function runMaxPoolGrad(c: Case, flags: { seed: number; ties: boolean }): Float32Array {
  const info = tf.backend_util.computePool2DInfo(c.x, c.filter, c.strides, 1, c.pad);
  let x: tf.Tensor4D = tf.tensor4d(randomArray(tf.util.sizeFromShape(c.x), flags.seed), c.x);
  if (flags.ties) x = tf.relu(tf.round(x));
  const dy = tf.tensor(randomArray(tf.util.sizeFromShape(info.outShape), flags.seed + 1), info.outShape);
  return tf
    .grad((t: tf.Tensor) =>
      tf
        .maxPool(t as tf.Tensor4D, c.filter, c.strides, c.pad)
        .mul(dy)
        .sum(),
    )(x)
    .dataSync() as Float32Array;
}

void describe('MaxPoolGrad (wasm, replaces the stock kernel)', () => {
  before(async () => {
    await initBackend({ request: 'wasm' });
  });

  for (const [i, c] of CASES.entries()) {
    for (const ties of [false, true]) {
      const label = `x ${c.x.join('x')}, filter ${JSON.stringify(c.filter)}, strides ${JSON.stringify(c.strides)}, ${c.pad}${ties ? ', with ties' : ''}`;
      void test(`matches cpu: ${label}`, async () => {
        const flags = { seed: 300 + i, ties };
        const expected = await onBackend('cpu', () => runMaxPoolGrad(c, flags));
        const actual = await onBackend('wasm', () => runMaxPoolGrad(c, flags));
        assertClose(actual, expected, label);
      });
    }
  }

  void test('leaks neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      const flags = { seed: 1, ties: true };
      runMaxPoolGrad(CASES[4], flags);
      assertNoLeaks(() => {
        runMaxPoolGrad(CASES[4], flags);
      });
    });
  });
});

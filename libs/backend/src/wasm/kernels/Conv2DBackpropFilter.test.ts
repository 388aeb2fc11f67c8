import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertClose, assertNoLeaks, onBackend, randomArray } from '../../internal/testing';

type Pad = tf.Conv2DBackpropFilterAttrs['pad'];
interface Case {
  x: [number, number, number, number];
  filter: [number, number];
  outChannels: number;
  strides: number | [number, number];
  pad: Pad;
}

const CASES: Case[] = [
  { x: [1, 5, 5, 1], filter: [3, 3], outChannels: 1, strides: 1, pad: 'same' },
  { x: [2, 7, 9, 3], filter: [3, 3], outChannels: 4, strides: 1, pad: 'same' },
  { x: [3, 7, 7, 2], filter: [3, 3], outChannels: 5, strides: 2, pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3], outChannels: 4, strides: 2, pad: 'same' },
  { x: [2, 9, 7, 3], filter: [3, 3], outChannels: 2, strides: 2, pad: 'valid' },
  { x: [2, 8, 9, 4], filter: [1, 1], outChannels: 6, strides: 2, pad: 'same' },
  { x: [1, 9, 9, 2], filter: [3, 3], outChannels: 3, strides: 1, pad: 'valid' },
  { x: [2, 6, 7, 2], filter: [2, 2], outChannels: 3, strides: 3, pad: 'valid' },
  { x: [2, 11, 6, 3], filter: [5, 3], outChannels: 4, strides: [2, 1], pad: 'same' },
  {
    x: [2, 6, 6, 2],
    filter: [3, 3],
    outChannels: 3,
    strides: 2,
    pad: [
      [0, 0],
      [2, 0],
      [1, 2],
      [0, 0],
    ],
  },
  { x: [5, 17, 17, 8], filter: [3, 3], outChannels: 16, strides: 1, pad: 'same' },
];

function runFilterGradient(c: Case, seed: number): Float32Array {
  const [b, h, w, ci] = c.x;
  const filterShape: [number, number, number, number] = [c.filter[0], c.filter[1], ci, c.outChannels];
  const info = tf.backend_util.computeConv2DInfo(c.x, filterShape, c.strides, 1, c.pad);
  const x = tf.tensor4d(randomArray(b * h * w * ci, seed), c.x);
  const dy = tf.tensor4d(randomArray(tf.util.sizeFromShape(info.outShape), seed + 1), info.outShape);
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape };
  const dw = tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropFilter, { x, dy }, attrs);
  assert.deepEqual(dw.shape, filterShape);
  return dw.dataSync() as Float32Array;
}

void describe('Conv2DBackpropFilter (wasm)', () => {
  before(async () => {
    await initBackend({ request: 'wasm' });
  });

  for (const [i, c] of CASES.entries()) {
    const label = `x ${c.x.join('x')}, filter ${c.filter.join('x')}x${c.outChannels}, strides ${JSON.stringify(c.strides)}, pad ${JSON.stringify(c.pad)}`;
    void test(`matches cpu: ${label}`, async () => {
      const expected = await onBackend('cpu', () => runFilterGradient(c, 100 + i));
      const actual = await onBackend('wasm', () => runFilterGradient(c, 100 + i));
      assertClose(actual, expected, label);
    });
  }

  void test('rejects NCHW naming the kernel and the value', async () => {
    await onBackend('wasm', () => {
      const x = tf.zeros([1, 4, 4, 1]);
      const dy = tf.zeros([1, 4, 4, 1]);
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [1, 1, 1, 1] };
      assert.throws(
        () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs),
        /Conv2DBackpropFilter \(wasm\): dataFormat must be 'NHWC', got 'NCHW'/,
      );
    });
  });

  void test('leaks neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      const c = CASES[3];
      runFilterGradient(c, 7);
      assertNoLeaks(() => {
        runFilterGradient(c, 7);
      });
    });
  });
});

import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertClose, assertNoLeaks, onBackend, randomArray } from '../../internal/testing';

type Pad = tf.Conv2DBackpropInputAttrs['pad'];
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
  {
    x: [2, 6, 6, 2],
    filter: [3, 3],
    outChannels: 3,
    strides: 1,
    pad: [
      [0, 0],
      [3, 1],
      [0, 4],
      [0, 0],
    ],
  }, // pad > FH − 1: stock
];

function runInputGradient(c: Case, seed: number): Float32Array {
  const filterShape: [number, number, number, number] = [c.filter[0], c.filter[1], c.x[3], c.outChannels];
  const info = tf.backend_util.computeConv2DInfo(c.x, filterShape, c.strides, 1, c.pad);
  const filter = tf.tensor4d(randomArray(tf.util.sizeFromShape(filterShape), seed), filterShape);
  const dy = tf.tensor4d(randomArray(tf.util.sizeFromShape(info.outShape), seed + 1), info.outShape);
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
  const dx = tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropInput, { dy, filter }, attrs);
  assert.deepEqual(dx.shape, c.x);
  return dx.dataSync() as Float32Array;
}

void describe('Conv2DBackpropInput fast path (wasm)', () => {
  before(async () => {
    const info = await initBackend({ request: 'wasm' });
    assert.ok(info.kernels.includes('Conv2DBackpropInput'));
  });

  for (const [i, c] of CASES.entries()) {
    const label = `x ${c.x.join('x')}, filter ${c.filter.join('x')}x${c.outChannels}, strides ${JSON.stringify(c.strides)}, pad ${JSON.stringify(c.pad)}`;
    void test(`matches cpu: ${label}`, async () => {
      const expected = await onBackend('cpu', () => runInputGradient(c, 200 + i));
      const actual = await onBackend('wasm', () => runInputGradient(c, 200 + i));
      assertClose(actual, expected, label);
    });
  }

  void test('leaks neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      const c = CASES[9];
      runInputGradient(c, 7);
      assertNoLeaks(() => {
        runInputGradient(c, 7);
        runInputGradient(CASES[4], 8);
      });
    });
  });
});

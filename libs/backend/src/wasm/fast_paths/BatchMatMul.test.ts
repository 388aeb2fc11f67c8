import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertClose, assertNoLeaks, onBackend, onWasmWithGemm, randomArray } from '../../internal/testing';
import { installedWasmFastPaths } from './install';

/** [batch shape of a, batch shape of b, M, K, N]. */
type Shapes = [number[], number[], number, number, number];

const SHAPES: Shapes[] = [
  [[], [], 1, 1, 1],
  [[], [], 3, 17, 65],
  [[], [], 65, 3, 17],
  [[], [], 17, 65, 1],
  [[1], [1], 17, 3, 65],
  [[3], [3], 3, 17, 5],
  [[4], [1], 17, 5, 3], // b broadcast over a's batch
  [[1], [3], 5, 3, 17], // a broadcast over b's batch
  [[2, 3], [2, 3], 3, 4, 5],
  [[2], [2], 7, 300, 13], // K over two of the GEMM's K blocks, odd M and N
  [[], [], 33, 257, 10], // the MLP's N = 10: an 8-wide panel and a masked tail
  [[3], [1], 9, 31, 6],
];

/** Runs matMul with the given transposes, building operands already transposed. */
function runMatMul(shapes: Shapes, flags: { transposeA: boolean; transposeB: boolean; seed: number }): Float32Array {
  const [batchA, batchB, m, k, n] = shapes;
  const aShape = [...batchA, ...(flags.transposeA ? [k, m] : [m, k])];
  const bShape = [...batchB, ...(flags.transposeB ? [n, k] : [k, n])];
  const a = tf.tensor(randomArray(tf.util.sizeFromShape(aShape), flags.seed), aShape);
  const b = tf.tensor(randomArray(tf.util.sizeFromShape(bShape), flags.seed + 1), bShape);
  const out = tf.engine().runKernel<tf.Tensor>(tf.BatchMatMul, { a, b }, { transposeA: flags.transposeA, transposeB: flags.transposeB });
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(batchA, batchB);
  assert.deepEqual(out.shape, [...batch, m, n]);
  return out.dataSync() as Float32Array;
}

void describe('BatchMatMul fast path (wasm)', () => {
  before(async () => {
    const info = await initBackend({ request: 'wasm' });
    assert.ok(info.kernels.includes('BatchMatMul'));
    assert.ok(installedWasmFastPaths().includes('BatchMatMul'));
  });

  for (const gemm of [true, false]) {
    for (const [i, shapes] of SHAPES.entries()) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const label =
            `${gemm ? 'GEMM' : 'XNNPACK path'}: a batch [${shapes[0].join(',')}], b batch [${shapes[1].join(',')}], ` +
            `M=${shapes[2]} K=${shapes[3]} N=${shapes[4]}, tA=${transposeA} tB=${transposeB}`;
          void test(`matches cpu: ${label}`, async () => {
            const flags = { transposeA, transposeB, seed: 10 * i };
            const expected = await onBackend('cpu', () => runMatMul(shapes, flags));
            const actual = await onWasmWithGemm(gemm, () => runMatMul(shapes, flags));
            assertClose(actual, expected, label);
          });
        }
      }
    }
  }

  void test('tf.matMul gradients match cpu', async () => {
    const grads = (): Float32Array[] => {
      const a = tf.tensor2d(randomArray(17 * 65, 1), [17, 65]);
      const b = tf.tensor2d(randomArray(65 * 3, 2), [65, 3]);
      const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y).square().sum())([a, b]);
      return g.map((t) => t.dataSync() as Float32Array);
    };
    const expected = await onBackend('cpu', grads);
    const actual = await onBackend('wasm', grads);
    expected.forEach((e, i) => assertClose(actual[i] ?? [], e, `gradient ${i}`));
  });

  void test('leaks neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      const shapes: Shapes = [[3], [3], 5, 3, 17];
      const flags = { transposeA: true, transposeB: true, seed: 3 };
      runMatMul(shapes, flags);
      assertNoLeaks(() => {
        runMatMul(shapes, flags);
        runMatMul([[4], [1], 2, 3, 4], flags);
      });
    });
  });
});

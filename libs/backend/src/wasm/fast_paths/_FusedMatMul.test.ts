import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertClose, assertNoLeaks, onBackend, onWasmWithGemm, randomArray } from '../../internal/testing';

type Activation = tf._FusedMatMulAttrs['activation'];
interface Case {
  m: number;
  k: number;
  n: number;
  batch: number;
  bias: 'none' | 'vector' | 'scalar';
  activation: Activation;
}

const CASES: Case[] = [];
for (const [m, k, n] of [
  [1, 1, 1],
  [3, 17, 65],
  [65, 3, 17],
  [17, 65, 3],
] as const) {
  for (const bias of ['none', 'vector', 'scalar'] as const) {
    for (const activation of ['linear', 'relu'] as const) CASES.push({ m, k, n, batch: 1, bias, activation });
  }
}
CASES.push({ m: 5, k: 3, n: 17, batch: 3, bias: 'vector', activation: 'relu' });
CASES.push({ m: 17, k: 5, n: 3, batch: 1, bias: 'vector', activation: 'sigmoid' });
CASES.push({ m: 17, k: 5, n: 3, batch: 1, bias: 'vector', activation: 'relu6' });
CASES.push({ m: 17, k: 5, n: 3, batch: 1, bias: 'vector', activation: 'elu' });
CASES.push({ m: 9, k: 300, n: 10, batch: 2, bias: 'vector', activation: 'relu' }); // K over two GEMM K blocks

/** Runs the fused op (so the op's own reshapes and checks apply), operands pre-transposed. */
function runFused(c: Case, flags: { transposeA: boolean; transposeB: boolean; seed: number }): Float32Array {
  const lead = c.batch === 1 ? [] : [c.batch];
  const aShape = [...lead, ...(flags.transposeA ? [c.k, c.m] : [c.m, c.k])];
  const bShape = [...lead, ...(flags.transposeB ? [c.n, c.k] : [c.k, c.n])];
  const a = tf.tensor(randomArray(tf.util.sizeFromShape(aShape), flags.seed), aShape);
  const b = tf.tensor(randomArray(tf.util.sizeFromShape(bShape), flags.seed + 1), bShape);
  const bias = c.bias === 'none' ? undefined : c.bias === 'vector' ? tf.tensor1d(randomArray(c.n, flags.seed + 2)) : tf.scalar(0.25);
  const out = tf.fused.matMul({ a, b, transposeA: flags.transposeA, transposeB: flags.transposeB, bias, activation: c.activation });
  assert.deepEqual(out.shape, [...lead, c.m, c.n]);
  return out.dataSync() as Float32Array;
}

void describe('_FusedMatMul fast path (wasm)', () => {
  before(async () => {
    await initBackend({ request: 'wasm' });
  });

  for (const gemm of [true, false]) {
    for (const [i, c] of CASES.entries()) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const label =
            `${gemm ? 'GEMM' : 'XNNPACK path'}: batch ${c.batch}, M=${c.m} K=${c.k} N=${c.n}, bias ${c.bias}, ` +
            `${c.activation}, tA=${transposeA} tB=${transposeB}`;
          void test(`matches cpu: ${label}`, async () => {
            const flags = { transposeA, transposeB, seed: 7 * i };
            const expected = await onBackend('cpu', () => runFused(c, flags));
            const actual = await onWasmWithGemm(gemm, () => runFused(c, flags));
            assertClose(actual, expected, label);
          });
        }
      }
    }
  }

  void test('gradients of fused matMul + bias + relu match cpu', async () => {
    const grads = (): Float32Array[] => {
      const a = tf.tensor2d(randomArray(17 * 65, 1), [17, 65]);
      const b = tf.tensor2d(randomArray(65 * 3, 2), [65, 3]);
      const bias = tf.tensor1d(randomArray(3, 3));
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor): tf.Scalar => tf.fused.matMul({ a: x, b: y, bias: z, activation: 'relu' }).square().sum();
      return tf
        .grads(f)([a, b, bias])
        .map((t) => t.dataSync() as Float32Array);
    };
    const expected = await onBackend('cpu', grads);
    const actual = await onBackend('wasm', grads);
    expected.forEach((e, i) => assertClose(actual[i] ?? [], e, `gradient ${i}`));
  });

  void test('leaks neither tensors nor wasm buffers', async () => {
    await onBackend('wasm', () => {
      const flags = { transposeA: true, transposeB: false, seed: 3 };
      const fusedCase = CASES[4];
      runFused(fusedCase, flags);
      assertNoLeaks(() => {
        runFused(fusedCase, flags);
        runFused(CASES[CASES.length - 4], flags);
      });
    });
  });
});

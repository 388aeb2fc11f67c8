import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { initBackend } from '../../init_backend';
import { assertClose, randomArray } from '../../internal/testing';
import { assembleGemm, GEMM_MODULE_SOURCE, gemmModuleSource } from './build_gemm';
import { gemmForBackend, setWasmGemmFma, type WasmGemm } from './gemm';
import { GEMM_SHAPE } from './gemm_wat';

const { mr: GEMM_MR, kc: GEMM_KC, mc: GEMM_MC } = GEMM_SHAPE;

/** C = A·B in float64, A and B read through their strides. */
function reference(shape: { m: number; n: number; k: number; colMajorA: boolean; transposedB: boolean }, a: Float32Array, b: Float32Array): Float64Array {
  const { m, n, k, colMajorA, transposedB } = shape;
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[colMajorA ? p * m + i : i * k + p] ?? NaN;
      for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] ?? 0) + aip * (b[transposedB ? j * k + p : p * n + j] ?? NaN);
    }
  }
  return c;
}

/** [M, N, K]: tails in every direction, K over several blocks, one-element and one-row cases. */
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [GEMM_MR, 8, 1],
  [GEMM_MR + 1, 9, 3],
  [7, 13, GEMM_KC + 44],
  [5, 3, 2],
  [13, 10, 2 * GEMM_KC + 1],
  [64, 12, 17],
  [3, 4, GEMM_KC],
  [33, 31, 29],
  [GEMM_MC + 5, 16, 9], // two row blocks
  [2 * GEMM_MC + GEMM_MR + 3, 21, GEMM_KC + 1],
];

void describe('SIMD GEMM (wasm)', () => {
  let backend: BackendWasm;
  /** The SIMD128 (mul + add) and FMA (relaxed SIMD) instances. */
  const gemms = new Map<boolean, WasmGemm>();
  before(async () => {
    await initBackend({ request: 'wasm' });
    backend = tf.backend() as BackendWasm;
    try {
      for (const fma of [false, true]) {
        setWasmGemmFma(fma);
        const g = gemmForBackend(backend);
        assert.ok(g !== null, 'the GEMM instantiates on the wasm backend heap');
        gemms.set(fma, g);
      }
    } finally {
      setWasmGemmFma(true);
    }
  });

  void test('relaxed SIMD is available here, so the FMA module is the one in use', () => {
    assert.equal(gemms.get(true)?.fma, true, 'Node 20+ on x64: relaxed SIMD behind a flag that gemm.ts turns on');
    assert.equal(gemms.get(false)?.fma, false);
  });

  for (const [m, n, k] of SHAPES) {
    // [column-major A, FMA, transposed B (gathered while packing)]
    const variants = [
      [false, false, false],
      [true, false, false],
      [false, true, false],
      [true, true, false],
      [false, true, true],
      [true, false, true],
    ] as const;
    for (const [colMajorA, fma, transposedB] of variants) {
      const label = `M=${m} N=${n} K=${k} ${colMajorA ? 'column-major' : 'row-major'} A, ${transposedB ? 'transposed' : 'row-major'} B, ${fma ? 'FMA' : 'mul + add'}`;
      void test(`matches float64: ${label}`, () => {
        const gemm = gemms.get(fma);
        assert.ok(gemm !== undefined);
        const aData = randomArray(m * k, m + 7 * n + 13 * k);
        const bData = randomArray(k * n, m + 7 * n + 13 * k + 1);
        const a = backend.makeOutput([m * k], 'float32', undefined, aData);
        const b = backend.makeOutput([k * n], 'float32', undefined, bData);
        // C starts as NaN, with one guard element after it that must stay untouched.
        const c = backend.makeOutput([m * n + 1], 'float32');
        backend.typedArrayFromHeap(c).fill(NaN);
        backend.typedArrayFromHeap(c)[m * n] = 12345;
        const addr = (t: tf.TensorInfo): number => backend.dataIdMap.get(t.dataId)?.memoryOffset ?? NaN;
        try {
          gemm.run({
            m,
            n,
            k,
            a: addr(a),
            rsA: colMajorA ? 1 : k,
            csA: colMajorA ? m : 1,
            b: addr(b),
            ldb: transposedB ? 1 : n,
            csB: transposedB ? k : 1,
            c: addr(c),
            ldc: n,
          });
          const out = backend.typedArrayFromHeap(c);
          assert.equal(out[m * n], 12345, 'nothing is written past C');
          assertClose(out.subarray(0, m * n), reference({ m, n, k, colMajorA, transposedB }, aData, bData), label);
        } finally {
          for (const t of [a, b, c]) backend.disposeData(t.dataId);
        }
      });
    }
  }

  void test('the checked-in module is what gemm_wat.ts assembles to', async () => {
    const fresh = gemmModuleSource(await assembleGemm());
    assert.equal(readFileSync(GEMM_MODULE_SOURCE, 'utf8'), fresh, 'run `npm run gen:gemm -w @lnsgd/backend`');
  });
});

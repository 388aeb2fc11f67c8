import * as tf from '@tensorflow/tfjs';
import { gemmForBackend } from '../gemm/gemm';
import type { WasmScratch } from '../internal/wasm_kernel_call';

/**
 * A MatMul on our SIMD GEMM (`../gemm`), reading the operands where they lie on
 * the wasm heap: a transposed a costs nothing (its strides are swapped), a
 * transposed b is gathered while the GEMM packs it (no Transpose kernel call,
 * no intermediate tensor); XNNPACK is not involved, so there is
 * no per-call packing of a weight matrix that is a new tensor every step.
 *
 * @param scratch Holds the intermediates for disposal (the output is kept too).
 * @param operands a [..., M, K] (or [..., K, M] with transposeA), b [..., K, N]
 *   (or [..., N, K] with transposeB), float32, rank ≥ 2, inner dimensions equal.
 * @returns [batch, M, N] (batch = the broadcast batch size), or null when the
 *   GEMM cannot take the call (no heap access, an empty dimension, batch shapes
 *   that broadcast other than one-to-many); the caller then takes another path.
 */
export function gemmBatchMatMul(
  scratch: WasmScratch,
  operands: { a: tf.TensorInfo; b: tf.TensorInfo; transposeA: boolean; transposeB: boolean },
): tf.TensorInfo | null {
  const { a, b, transposeA, transposeB } = operands;
  const backend = scratch.backend;
  const gemm = gemmForBackend(backend);
  if (gemm === null) return null;
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  if (m === 0 || n === 0 || k === 0) return null;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  const batch = Math.max(batchA, batchB);
  const out = scratch.keep(backend.makeOutput([batch, m, n], 'float32'));
  // Addresses read after every allocation (offsets do not move when the heap grows).
  const aAddr = backend.dataIdMap.get(a.dataId)?.memoryOffset;
  const bAddr = backend.dataIdMap.get(b.dataId)?.memoryOffset;
  const cAddr = backend.dataIdMap.get(out.dataId)?.memoryOffset;
  if (aAddr === undefined || bAddr === undefined || cAddr === undefined) return null;
  const [rsA, csA] = transposeA ? [1, m] : [k, 1];
  const [ldb, csB] = transposeB ? [1, k] : [n, 1];
  for (let i = 0; i < batch; i++) {
    gemm.run({
      m,
      n,
      k,
      a: aAddr + 4 * (batchA === 1 ? 0 : i) * m * k,
      rsA,
      csA,
      b: bAddr + 4 * (batchB === 1 ? 0 : i) * k * n,
      ldb,
      csB,
      c: cAddr + 4 * i * m * n,
      ldc: n,
    });
  }
  return out;
}

import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../backend_error';
import { requireFloat32, requireInput } from '../internal/inputs';
import { asKernelFunc, WASM, WasmScratch, type WasmKernelArgs } from '../internal/wasm_kernel_call';

/**
 * Sums the rows of `x` that share a segment id, on the wasm backend (which ships
 * none; `tf.gather`'s gradient needs it).
 *
 *   out[s, …] = Σ_{i : ids[i] = s} x[i, …]   — computed as onehot(ids)ᵀ · x
 *
 * One GEMM of [S, N]·[N, R] through the registered BatchMatMul kernel; ids outside
 * [0, S) select nothing (their one-hot row is zero), as in TensorFlow.
 *
 * @param args.inputs `x` (float32) and `segmentIds` (int32, shape = a prefix of x's).
 * @param args.attrs `numSegments` S.
 * @returns [S, ...x.shape.slice(segmentIds.rank)].
 * @example
 * tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([0, 1, 0], 'int32'), 2) // [4, 2]
 */
export function unsortedSegmentSum({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const name = tf.UnsortedSegmentSum;
  const x = requireInput(inputs, 'x', name);
  const segmentIds = requireInput(inputs, 'segmentIds', name);
  requireFloat32(x, 'x', name);
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const idRank = segmentIds.shape.length;
  if (idRank > x.shape.length || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new BackendError(
      'UNSUPPORTED',
      `${name} (wasm): segmentIds shape [${segmentIds.shape.join(', ')}] must be a prefix of x shape [${x.shape.join(', ')}]`,
    );
  }
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  const innerShape = x.shape.slice(idRank);
  const inner = tf.util.sizeFromShape(innerShape);

  const scratch = new WasmScratch(backend);
  try {
    const ids = segmentIds.dtype === 'int32' ? segmentIds : scratch.run(tf.Cast, { x: segmentIds }, { dtype: 'int32' });
    const flatIds = scratch.run(tf.Reshape, { x: ids }, { shape: [rows] });
    // The wasm OneHot kernel writes int32 whatever dtype it is asked for: cast.
    const oneHot = scratch.run(tf.OneHot, { indices: flatIds }, { depth: numSegments, onValue: 1, offValue: 0, dtype: 'int32' });
    const oneHotFloat = scratch.run(tf.Cast, { x: oneHot }, { dtype: 'float32' });
    const selector = scratch.run(tf.Transpose, { x: oneHotFloat }, { perm: [1, 0] });
    const a = scratch.run(tf.Reshape, { x: selector }, { shape: [1, numSegments, rows] });
    const b = scratch.run(tf.Reshape, { x }, { shape: [1, rows, inner] });
    const sums = scratch.run(tf.BatchMatMul, { a, b }, { transposeA: false, transposeB: false });
    const out = scratch.run(tf.Reshape, { x: sums }, { shape: [numSegments, ...innerShape] });
    scratch.disposeAllBut(out);
    return out;
  } catch (e) {
    scratch.disposeAllBut();
    throw e;
  }
}

/** Registration record of {@link unsortedSegmentSum}. */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: WASM,
  kernelFunc: asKernelFunc(unsortedSegmentSum),
};

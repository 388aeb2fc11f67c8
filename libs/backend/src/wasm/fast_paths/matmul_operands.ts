import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../backend_error';
import type { WasmScratch } from '../internal/wasm_kernel_call';

/** Both MatMul operands as rank-3, untransposed: a [batchA, M, K], b [batchB, K, N]. */
export interface PlainOperands {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  /** Broadcast batch shape followed by [M, N]: the shape of the op's output. */
  outShape: number[];
}

/** A MatMul's operands and transpose flags; `kernelName` for errors. */
export interface MatMulOperands {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  kernelName: string;
}

/**
 * Checks MatMul operands (rank ≥ 2, equal inner dimensions, broadcastable batch
 * shapes) and returns the op's output shape: broadcast batch shape, then [M, N].
 *
 * @throws BackendError `UNSUPPORTED` naming the kernel and the shapes.
 */
export function matMulOutShape(operands: MatMulOperands): number[] {
  const { a, b, transposeA, transposeB, kernelName } = operands;
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  if (aRank < 2 || bRank < 2) {
    throw new BackendError('UNSUPPORTED', `${kernelName} (wasm): operands must have rank >= 2, got a [${a.shape.join(', ')}], b [${b.shape.join(', ')}]`);
  }
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const kB = transposeB ? bCols : bRows;
  const n = transposeB ? bRows : bCols;
  if (k !== kB) {
    throw new BackendError(
      'UNSUPPORTED',
      `${kernelName} (wasm): inner dimensions differ: a [${a.shape.join(', ')}] (transposeA=${transposeA}) ` +
        `and b [${b.shape.join(', ')}] (transposeB=${transposeB})`,
    );
  }
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return [...batchShape, m, n];
}

/**
 * Reshapes MatMul operands to rank 3 and transposes them explicitly, so that the
 * stock wasm kernel can take its XNNPACK path (which it only does when neither
 * operand is transposed; otherwise it runs a scalar loop 10–25x slower).
 *
 * @param scratch Holds the intermediates for disposal.
 * @param operands The op's `a`, `b` and transpose flags; `kernelName` for errors.
 */
export function plainOperands(scratch: WasmScratch, operands: MatMulOperands): PlainOperands {
  const { a, b, transposeA, transposeB } = operands;
  const outShape = matMulOutShape(operands);
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  let a3 = scratch.run(tf.Reshape, { x: a }, { shape: [batchA, aRows, aCols] });
  let b3 = scratch.run(tf.Reshape, { x: b }, { shape: [batchB, bRows, bCols] });
  if (transposeA) a3 = scratch.run(tf.Transpose, { x: a3 }, { perm: [0, 2, 1] });
  if (transposeB) b3 = scratch.run(tf.Transpose, { x: b3 }, { perm: [0, 2, 1] });
  return { a: a3, b: b3, outShape };
}

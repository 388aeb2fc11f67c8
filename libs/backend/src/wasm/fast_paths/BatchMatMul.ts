import * as tf from '@tensorflow/tfjs';
import { requireInput } from '../internal/inputs';
import { asKernelFunc, WasmScratch, type WasmKernelArgs, type WasmKernelFunc } from '../internal/wasm_kernel_call';
import { gemmBatchMatMul } from './gemm_matmul';
import { matMulOutShape, plainOperands } from './matmul_operands';

/**
 * Multiplies untransposed rank-3 operands a [batchA, M, K], b [batchB, K, N] with
 * the stock kernel, only ever handing it single matrices (batch 1), the one case
 * it runs on XNNPACK. A shared b is folded into the rows of a; otherwise the
 * batch is looped over, one GEMM per matrix, writing into one output.
 *
 * @param scratch Holds the intermediates for disposal.
 * @param call The stock kernel and the plain operands (from `plainOperands`).
 * @returns [batch, M, N] (batch = max(batchA, batchB)); not yet in the op's shape.
 */
export function plainBatchMatMul(
  scratch: WasmScratch,
  call: { stock: WasmKernelFunc; a: tf.TensorInfo; b: tf.TensorInfo; attrs?: tf.NamedAttrMap; extraInputs?: tf.NamedTensorInfoMap },
): tf.TensorInfo {
  const { stock, a, b } = call;
  const attrs = { ...call.attrs, transposeA: false, transposeB: false };
  const run = (aa: tf.TensorInfo, bb: tf.TensorInfo): tf.TensorInfo =>
    scratch.keep(stock({ inputs: { ...call.extraInputs, a: aa, b: bb }, backend: scratch.backend, attrs }));
  const [batchA, m, k] = a.shape as [number, number, number];
  const [batchB, , n] = b.shape as [number, number, number];
  if (batchB === 1) {
    // b is shared by every matrix of a: one GEMM of [batchA·M, K]·[K, N].
    const aRows = batchA === 1 ? a : scratch.run(tf.Reshape, { x: a }, { shape: [1, batchA * m, k] });
    const out = run(aRows, b);
    return batchA === 1 ? out : scratch.run(tf.Reshape, { x: out }, { shape: [batchA, m, n] });
  }
  const batch = Math.max(batchA, batchB);
  const backend = scratch.backend;
  const out = backend.makeOutput([batch, m, n], 'float32');
  try {
    for (let i = 0; i < batch; i++) {
      // Broadcast: a batch of 1 (a shared a) is reused for every matrix of b.
      const ai = batchA === 1 ? a : scratch.run(tf.Slice, { x: a }, { begin: [i, 0, 0], size: [1, m, k] });
      const bi = scratch.run(tf.Slice, { x: b }, { begin: [i, 0, 0], size: [1, k, n] });
      const oi = run(ai, bi);
      // Re-read the heap views each time: a wasm allocation may grow (and detach) the heap.
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(oi), i * m * n);
      if (ai !== a) backend.disposeData(ai.dataId);
      backend.disposeData(bi.dataId);
      backend.disposeData(oi.dataId);
    }
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  }
  return scratch.keep(out);
}

/**
 * Builds the fast wasm `BatchMatMul`: our SIMD GEMM on the operands in place
 * (`gemmBatchMatMul`: a transposed a is free, no XNNPACK weight packing per
 * call); where it cannot run, explicit transposes (wasm Transpose kernel)
 * followed by the stock kernel on plain operands, which it runs on XNNPACK at
 * ~20 GFLOP/s instead of ~1 GFLOP/s for transposed ones.
 *
 * @param stock The stock wasm `BatchMatMul` kernel function.
 * @returns A kernel function with the stock one's contract.
 * @example
 * const stock = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;
 * tf.registerKernel({ ...config, kernelFunc: asKernelFunc(makeFastBatchMatMul(stock)) });
 */
export function makeFastBatchMatMul(stock: WasmKernelFunc): WasmKernelFunc {
  return ({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo => {
    const a = requireInput(inputs, 'a', tf.BatchMatMul);
    const b = requireInput(inputs, 'b', tf.BatchMatMul);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stock({ inputs, backend, attrs }); // throws its own dtype error
    }
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const scratch = new WasmScratch(backend);
    try {
      const operands = { a, b, transposeA, transposeB, kernelName: tf.BatchMatMul };
      const outShape = matMulOutShape(operands);
      const product = gemmBatchMatMul(scratch, operands) ?? plainBatchMatMul(scratch, { stock, ...plainOperands(scratch, operands) });
      const out = scratch.run(tf.Reshape, { x: product }, { shape: outShape });
      scratch.disposeAllBut(out);
      return out;
    } catch (e) {
      scratch.disposeAllBut();
      throw e;
    }
  };
}

/** Wraps {@link makeFastBatchMatMul} as a registrable config, keeping the stock setup. */
export function fastBatchMatMulConfig(stock: tf.KernelConfig): tf.KernelConfig {
  // The stock wasm kernel function is a WasmKernelFunc; tfjs types its backend as `{}`.
  return { ...stock, kernelFunc: asKernelFunc(makeFastBatchMatMul(stock.kernelFunc as unknown as WasmKernelFunc)) };
}

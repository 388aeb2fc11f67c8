import * as tf from '@tensorflow/tfjs';
import { gemmForBackend } from '../gemm/gemm';
import { requireInput } from '../internal/inputs';
import { asKernelFunc, type WasmKernelArgs, type WasmKernelFunc } from '../internal/wasm_kernel_call';

/**
 * Builds the fast wasm `Sum` for reductions over leading axes (a bias gradient:
 * [B, N] → [N], or [B, H, W, C] → [C]). The stock kernel first transposes the
 * reduced axes to the end (a full copy through a generic transpose, ~0.6 ms for
 * the MLP's [256, 512] and ~4 ms for the CNN's [64, 28, 28, 16]); this one adds
 * the rows into float64 accumulators in one pass over the heap, with the SIMD
 * `colsum` of `../gemm` (a JS loop where that module cannot run). Other axes
 * (the innermost ones, which the stock kernel reduces in place) and dtypes
 * other than float32 go to the stock kernel.
 *
 * @param stock The stock wasm `Sum` kernel function.
 * @returns A kernel function with the stock one's contract.
 * @example
 * makeFastSum(tf.getKernel('Sum', 'wasm').kernelFunc)
 */
export function makeFastSum(stock: WasmKernelFunc): WasmKernelFunc {
  return ({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo => {
    const x = requireInput(inputs, 'x', tf.Sum);
    const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
    const rank = x.shape.length;
    const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) return stock({ inputs, backend, attrs });
    const kept = x.shape.slice(axes.length);
    const cols = tf.util.sizeFromShape(kept);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    const simd = cols > 0 ? gemmForBackend(backend) : null;
    const xAddr = backend.dataIdMap.get(x.dataId)?.memoryOffset;
    const outAddr = backend.dataIdMap.get(out.dataId)?.memoryOffset;
    if (simd !== null && xAddr !== undefined && outAddr !== undefined) {
      simd.colsum({ x: xAddr, rows, cols, out: outAddr });
      return out;
    }
    // Views taken after makeOutput: an allocation may grow (and detach) the heap.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const acc = new Float64Array(cols);
    for (let r = 0, base = 0; r < rows; r++, base += cols) {
      for (let c = 0; c < cols; c++) acc[c] = (acc[c] ?? 0) + (src[base + c] ?? 0);
    }
    dst.set(acc);
    return out;
  };
}

/** Wraps {@link makeFastSum} as a registrable config, keeping the stock setup. */
export function fastSumConfig(stock: tf.KernelConfig): tf.KernelConfig {
  // The stock wasm kernel function is a WasmKernelFunc; tfjs types its backend as `{}`.
  return { ...stock, kernelFunc: asKernelFunc(makeFastSum(stock.kernelFunc as unknown as WasmKernelFunc)) };
}

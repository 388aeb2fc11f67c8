import * as tf from '@tensorflow/tfjs';
import { requireInput } from '../internal/inputs';
import { asKernelFunc, type WasmKernelArgs, type WasmKernelFunc } from '../internal/wasm_kernel_call';

/**
 * Builds the fast wasm `Cast`: a cast to the dtype x already has shares x's
 * buffer (one more reference, like the Identity fast path) instead of copying
 * it. tfjs's ReLU gradient casts its float32 step mask to float32, so the
 * stock copy ran over a whole activation every training step. Real
 * conversions and strings go to the stock kernel.
 *
 * @param stock The stock wasm `Cast` kernel function.
 * @returns A kernel function with the stock one's contract.
 * @example
 * makeFastCast(tf.getKernel('Cast', 'wasm').kernelFunc)
 */
export function makeFastCast(stock: WasmKernelFunc): WasmKernelFunc {
  return ({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo => {
    const x = requireInput(inputs, 'x', tf.Cast);
    const { dtype } = attrs as unknown as tf.CastAttrs;
    if (dtype !== x.dtype || x.dtype === 'string') return stock({ inputs, backend, attrs });
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

/** Wraps {@link makeFastCast} as a registrable config, keeping the stock setup. */
export function fastCastConfig(stock: tf.KernelConfig): tf.KernelConfig {
  // The stock wasm kernel function is a WasmKernelFunc; tfjs types its backend as `{}`.
  return { ...stock, kernelFunc: asKernelFunc(makeFastCast(stock.kernelFunc as unknown as WasmKernelFunc)) };
}

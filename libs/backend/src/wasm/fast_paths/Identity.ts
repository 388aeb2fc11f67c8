import * as tf from '@tensorflow/tfjs';
import { requireInput } from '../internal/inputs';
import { asKernelFunc, type WasmKernelArgs, type WasmKernelFunc } from '../internal/wasm_kernel_call';

/**
 * Builds the fast wasm `Identity`: the output shares x's buffer (one more
 * reference, as tfjs-backend-cpu and the wasm Reshape do) instead of copying it.
 * The engine clones every tensor a gradient saves, so the stock copy ran on each
 * activation and on the batch itself every training step; no wasm kernel
 * writes into its inputs, so sharing is safe. Strings go to the stock kernel.
 *
 * @param stock The stock wasm `Identity` kernel function.
 * @returns A kernel function with the stock one's contract.
 * @example
 * makeFastIdentity(tf.getKernel('Identity', 'wasm').kernelFunc)
 */
export function makeFastIdentity(stock: WasmKernelFunc): WasmKernelFunc {
  return ({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo => {
    const x = requireInput(inputs, 'x', tf.Identity);
    if (x.dtype === 'string') return stock({ inputs, backend, attrs });
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

/** Wraps {@link makeFastIdentity} as a registrable config, keeping the stock setup. */
export function fastIdentityConfig(stock: tf.KernelConfig): tf.KernelConfig {
  // The stock wasm kernel function is a WasmKernelFunc; tfjs types its backend as `{}`.
  return { ...stock, kernelFunc: asKernelFunc(makeFastIdentity(stock.kernelFunc as unknown as WasmKernelFunc)) };
}

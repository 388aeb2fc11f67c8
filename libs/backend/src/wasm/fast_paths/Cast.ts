import * as tf from '@tensorflow/tfjs';
import { requireInput } from '../internal/inputs';
import { asKernelFunc, type WasmKernelArgs, type WasmKernelFunc } from '../internal/wasm_kernel_call';

/**
 * Builds the fast wasm `Cast`: a cast to the dtype x already has shares x's
 * buffer (one more reference, like the Identity fast path) instead of copying
 * it. tfjs's ReLU gradient casts its float32 step mask to float32, so the
 * stock copy ran over a whole activation every training step. A cast of
 * numbers to bool is x ≠ 0 (the stock kernel truncates modulo 256); other
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
    if (dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) return castToBool(x, backend);
    if (dtype !== x.dtype || x.dtype === 'string') return stock({ inputs, backend, attrs });
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

/**
 * x ≠ 0 as bool (NaN counts as true), as the cpu backend casts. The stock wasm kernel
 * copies the values into the Uint8Array instead: −2 became 254, 0.5 became 0 and
 * 256 became 0.
 */
function castToBool(x: tf.TensorInfo, backend: WasmKernelArgs['backend']): tf.TensorInfo {
  const out = backend.makeOutput([...x.shape], 'bool');
  // Views taken after makeOutput: an allocation may grow (and detach) the heap.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  for (let i = 0; i < dst.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  return out;
}

/** Wraps {@link makeFastCast} as a registrable config, keeping the stock setup. */
export function fastCastConfig(stock: tf.KernelConfig): tf.KernelConfig {
  // The stock wasm kernel function is a WasmKernelFunc; tfjs types its backend as `{}`.
  return { ...stock, kernelFunc: asKernelFunc(makeFastCast(stock.kernelFunc as unknown as WasmKernelFunc)) };
}

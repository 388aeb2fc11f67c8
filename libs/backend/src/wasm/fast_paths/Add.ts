import * as tf from '@tensorflow/tfjs';
import { gemmForBackend } from '../gemm/gemm';
import { requireInput } from '../internal/inputs';
import { asKernelFunc, type WasmKernelArgs, type WasmKernelFunc } from '../internal/wasm_kernel_call';

/**
 * The operand that is broadcast along the leading axes of the other (a bias:
 * [N] against [..., N], or [1, C] against [B, H, W, C]), or null. Its shape,
 * leading ones dropped, must be the other's trailing dimensions, and it must be
 * the smaller of the two.
 */
function biasOperand(a: tf.TensorInfo, b: tf.TensorInfo): { x: tf.TensorInfo; bias: tf.TensorInfo } | null {
  for (const [x, bias] of [
    [a, b],
    [b, a],
  ] as const) {
    if (bias.shape.length > x.shape.length) continue;
    const first = bias.shape.findIndex((d) => d !== 1);
    const trailing = first < 0 ? [] : bias.shape.slice(first);
    if (trailing.length === 0 || trailing.length >= x.shape.length) continue;
    if (trailing.every((d, i) => d === x.shape[x.shape.length - trailing.length + i])) return { x, bias };
  }
  return null;
}

/**
 * Builds the fast wasm `Add` for adding a bias (float32 [..., N] + [N], either
 * order): one SIMD pass of `addrows` (`../gemm`) over the rows, where the stock
 * kernel runs its generic broadcasting loop (~0.16 ms for the MLP's [256, 512],
 * about 5× this). Everything else (equal shapes, other broadcasts, other
 * dtypes) goes to the stock kernel.
 *
 * @param stock The stock wasm `Add` kernel function.
 * @returns A kernel function with the stock one's contract.
 * @example
 * makeFastAdd(tf.getKernel('Add', 'wasm').kernelFunc)
 */
export function makeFastAdd(stock: WasmKernelFunc): WasmKernelFunc {
  return ({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo => {
    const a = requireInput(inputs, 'a', tf.Add);
    const b = requireInput(inputs, 'b', tf.Add);
    const operands = a.dtype === 'float32' && b.dtype === 'float32' ? biasOperand(a, b) : null;
    const simd = operands === null ? null : gemmForBackend(backend);
    if (operands === null || simd === null) return stock({ inputs, backend, attrs });
    const { x, bias } = operands;
    const cols = tf.util.sizeFromShape(bias.shape);
    if (cols === 0) return stock({ inputs, backend, attrs });
    const rows = tf.util.sizeFromShape(x.shape) / cols;
    const out = backend.makeOutput([...x.shape], 'float32');
    // Addresses read after makeOutput (offsets do not move when the heap grows).
    const xAddr = backend.dataIdMap.get(x.dataId)?.memoryOffset;
    const biasAddr = backend.dataIdMap.get(bias.dataId)?.memoryOffset;
    const outAddr = backend.dataIdMap.get(out.dataId)?.memoryOffset;
    if (xAddr === undefined || biasAddr === undefined || outAddr === undefined) {
      backend.disposeData(out.dataId);
      return stock({ inputs, backend, attrs });
    }
    if (rows > 0) simd.addRows({ x: xAddr, rows, cols, bias: biasAddr, out: outAddr });
    return out;
  };
}

/** Wraps {@link makeFastAdd} as a registrable config, keeping the stock setup. */
export function fastAddConfig(stock: tf.KernelConfig): tf.KernelConfig {
  // The stock wasm kernel function is a WasmKernelFunc; tfjs types its backend as `{}`.
  return { ...stock, kernelFunc: asKernelFunc(makeFastAdd(stock.kernelFunc as unknown as WasmKernelFunc)) };
}

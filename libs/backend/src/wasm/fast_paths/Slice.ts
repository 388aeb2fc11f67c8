import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { requireInput } from '../internal/inputs';
import { asKernelFunc, type WasmKernelArgs, type WasmKernelFunc } from '../internal/wasm_kernel_call';

/**
 * Copies the box `begin`, `size` of x into a new tensor, reading x through a view
 * of the wasm heap. The stock kernel first copies all of x into a fresh JS array
 * (`readSync`), so slicing k pieces off θ (tf.split of the flat parameter
 * vector, every step) copied θ k times: ~8 ms a step for the 407k-float MLP.
 * Runs of the box that are contiguous in x (the innermost sliced axis and every
 * full axis after it) are copied with one `set` each.
 *
 * @param backend The wasm backend.
 * @param args x (float32, int32 or bool), and begin and size already resolved
 *   by `slice_util.parseSliceParams` (no −1 sizes).
 * @returns A new tensor of shape `size`, owned by the caller.
 */
export function sliceFromHeap(backend: BackendWasm, args: { x: tf.TensorInfo; begin: readonly number[]; size: readonly number[] }): tf.TensorInfo {
  const { x, begin, size } = args;
  const out = backend.makeOutput([...size], x.dtype);
  const total = tf.util.sizeFromShape([...size]);
  if (total === 0) return out;
  // Views taken after makeOutput: an allocation may grow (and detach) the heap.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = [...tf.util.computeStrides(x.shape), 1];
  // Axes from `inner` on are copied as one run: the last axis not taken whole
  // (everything after it is full, so the run is contiguous in x).
  let inner = rank - 1;
  while (inner > 0 && size[inner] === x.shape[inner] && begin[inner] === 0) inner--;
  const run = size.slice(inner).reduce((a, b) => a * b, 1);
  const outer = total / run;
  const index = new Array<number>(inner).fill(0); // position among the outer axes
  let base = 0;
  for (let axis = 0; axis < rank; axis++) base += (begin[axis] ?? 0) * (strides[axis] ?? 0);
  for (let r = 0; r < outer; r++) {
    let offset = base;
    for (let axis = 0; axis < inner; axis++) offset += (index[axis] ?? 0) * (strides[axis] ?? 0);
    dst.set(src.subarray(offset, offset + run), r * run);
    for (let axis = inner - 1; axis >= 0; axis--) {
      const next = (index[axis] ?? 0) + 1;
      if (next < (size[axis] ?? 0)) {
        index[axis] = next;
        break;
      }
      index[axis] = 0;
    }
  }
  return out;
}

/** A wasm kernel function with one or several outputs (SplitV). */
type WasmMultiKernelFunc = (args: WasmKernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** dtypes whose wasm buffers `typedArrayFromHeap` can view. */
const HEAP_DTYPES: ReadonlySet<string> = new Set(['float32', 'int32', 'bool']);

/**
 * Builds the fast wasm `Slice`: {@link sliceFromHeap} (a view of the heap instead
 * of a full copy of x per call). Strings go to the stock kernel.
 *
 * @param stock The stock wasm `Slice` kernel function.
 * @returns A kernel function with the stock one's contract.
 * @example
 * makeFastSlice(tf.getKernel('Slice', 'wasm').kernelFunc)
 */
export function makeFastSlice(stock: WasmKernelFunc): WasmKernelFunc {
  return ({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo => {
    const x = requireInput(inputs, 'x', tf.Slice);
    if (!HEAP_DTYPES.has(x.dtype)) return stock({ inputs, backend, attrs });
    const { begin, size } = attrs as unknown as tf.SliceAttrs;
    // The op's begin and size may be scalars or hold −1; the engine passes the op's attrs.
    const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
    return sliceFromHeap(backend, { x, begin: b, size: s });
  };
}

/**
 * Builds the fast wasm `SplitV` (tf.split): one {@link sliceFromHeap} per piece.
 * The stock SplitV calls the stock slice (a full copy of x per piece).
 *
 * @param stock The stock wasm `SplitV` kernel function.
 * @returns A kernel function with the stock one's contract (an array of outputs).
 * @example
 * makeFastSplitV(tf.getKernel('SplitV', 'wasm').kernelFunc)
 */
export function makeFastSplitV(stock: WasmMultiKernelFunc): WasmMultiKernelFunc {
  return ({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const x = requireInput(inputs, 'x', tf.SplitV);
    if (!HEAP_DTYPES.has(x.dtype)) return stock({ inputs, backend, attrs });
    const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
    const [ax] = tf.util.parseAxisParam(axis, x.shape) as [number];
    const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    const outs: tf.TensorInfo[] = [];
    try {
      for (const s of sizes) {
        const size = [...x.shape];
        size[ax] = s;
        outs.push(sliceFromHeap(backend, { x, begin, size }));
        begin[ax] = (begin[ax] ?? 0) + s;
      }
    } catch (e) {
      for (const o of outs) backend.disposeData(o.dataId);
      throw e;
    }
    return outs;
  };
}

/** Wraps {@link makeFastSlice} as a registrable config, keeping the stock setup. */
export function fastSliceConfig(stock: tf.KernelConfig): tf.KernelConfig {
  // The stock wasm kernel function is a WasmKernelFunc; tfjs types its backend as `{}`.
  return { ...stock, kernelFunc: asKernelFunc(makeFastSlice(stock.kernelFunc as unknown as WasmKernelFunc)) };
}

/** Wraps {@link makeFastSplitV} as a registrable config, keeping the stock setup. */
export function fastSplitVConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const fast = makeFastSplitV(stock.kernelFunc);
  // SplitV returns several outputs: tfjs's KernelFunc allows TensorInfo[].
  const kernelFunc: tf.KernelFunc = (params) => fast({ inputs: params.inputs, backend: params.backend as BackendWasm, attrs: params.attrs ?? {} });
  return { ...stock, kernelFunc };
}

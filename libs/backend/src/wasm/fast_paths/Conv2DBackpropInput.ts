import * as tf from '@tensorflow/tfjs';
import { requireInput, requireRank4 } from '../internal/inputs';
import { asKernelFunc, WasmScratch, type WasmKernelArgs, type WasmKernelFunc } from '../internal/wasm_kernel_call';

/**
 * Builds the fast wasm `Conv2DBackpropInput` (the input gradient of conv2d, also
 * `conv2dTranspose`). The stock kernel is a scalar loop (~2 GFLOP/s); this one is
 * a forward XNNPACK Conv2D (~17 GFLOP/s):
 *
 *   dx = conv2d(dilate(dy, s), flip(W)ᵀ, stride 1, pad top = FH − 1 − padTop, …)
 *
 * where dilate puts s − 1 zeros between the rows and columns of dy and flip(W)ᵀ
 * is W reversed in space with its channel axes swapped ([FH, FW, Co, Ci]). With
 * stride s the zeros cost s² more multiply-adds, which still beats the stock loop.
 * NCHW, dtypes other than float32 and padding beyond FH − 1 fall
 * back to the stock kernel.
 *
 * @param stock The stock wasm `Conv2DBackpropInput` kernel function.
 * @returns A kernel function with the stock one's contract.
 * @example
 * makeFastConv2DBackpropInput(tf.getKernel('Conv2DBackpropInput', 'wasm').kernelFunc)
 */
export function makeFastConv2DBackpropInput(stock: WasmKernelFunc): WasmKernelFunc {
  return ({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo => {
    const name = tf.Conv2DBackpropInput;
    const dy = requireInput(inputs, 'dy', name);
    const filter = requireInput(inputs, 'filter', name);
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (dataFormat !== 'NHWC' || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
      return stock({ inputs, backend, attrs });
    }
    requireRank4(dy, 'dy', name);
    const [filterHeight, filterWidth] = requireRank4(filter, 'filter', name);
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
    const { inHeight, inWidth, strideHeight, strideWidth } = info;
    const top = filterHeight - 1 - info.padInfo.top;
    const left = filterWidth - 1 - info.padInfo.left;
    if (top < 0 || left < 0) return stock({ inputs, backend, attrs });

    const scratch = new WasmScratch(backend);
    try {
      let dyUsed = strideHeight === 1 && strideWidth === 1 ? dy : dilate(scratch, { x: dy, strideHeight, strideWidth });
      const [batch, rows, cols, channels] = dyUsed.shape as [number, number, number, number];
      // The output has H rows when top + rows + bottom − FH + 1 = H; a negative
      // bottom means the last rows of dilated dy reach no pixel of x: crop them.
      const bottom = inHeight + filterHeight - 1 - top - rows;
      const right = inWidth + filterWidth - 1 - left - cols;
      if (bottom < 0 || right < 0) {
        dyUsed = scratch.run(
          tf.Slice,
          { x: dyUsed },
          {
            begin: [0, 0, 0, 0],
            size: [batch, rows + Math.min(bottom, 0), cols + Math.min(right, 0), channels],
          },
        );
      }
      const flipped = scratch.run(tf.Reverse, { x: filter }, { dims: [0, 1] });
      const kernel = scratch.run(tf.Transpose, { x: flipped }, { perm: [0, 1, 3, 2] });
      const dx = scratch.run(
        tf.Conv2D,
        { x: dyUsed, filter: kernel },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [top, Math.max(bottom, 0)],
            [left, Math.max(right, 0)],
            [0, 0],
          ],
          dilations: [1, 1],
          dataFormat: 'NHWC',
        },
      );
      scratch.disposeAllBut(dx);
      return dx;
    } catch (e) {
      scratch.disposeAllBut();
      throw e;
    }
  };
}

/**
 * Inserts s − 1 zero rows (columns) between consecutive rows (columns) of an
 * NHWC tensor: [B, OH, OW, C] → [B, (OH − 1)·s_h + 1, (OW − 1)·s_w + 1, C].
 * Copies whole channel vectors (or whole rows when s_w = 1), never single floats.
 */
function dilate(scratch: WasmScratch, args: { x: tf.TensorInfo; strideHeight: number; strideWidth: number }): tf.TensorInfo {
  const { x, strideHeight, strideWidth } = args;
  const [batch, rows, cols, channels] = x.shape as [number, number, number, number];
  const outRows = (rows - 1) * strideHeight + 1;
  const outCols = (cols - 1) * strideWidth + 1;
  const backend = scratch.backend;
  const out = scratch.keep(backend.makeOutput([batch, outRows, outCols, channels], 'float32'));
  // Views taken after makeOutput: an allocation may grow (and detach) the heap.
  const dst = backend.typedArrayFromHeap(out);
  const src = backend.typedArrayFromHeap(x);
  dst.fill(0);
  const rowLength = cols * channels;
  const outRowLength = outCols * channels;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows; r++) {
      const srcRow = (b * rows + r) * rowLength;
      const dstRow = (b * outRows + r * strideHeight) * outRowLength;
      if (strideWidth === 1) {
        dst.set(src.subarray(srcRow, srcRow + rowLength), dstRow);
        continue;
      }
      for (let c = 0; c < cols; c++) {
        const s = srcRow + c * channels;
        dst.set(src.subarray(s, s + channels), dstRow + c * strideWidth * channels);
      }
    }
  }
  return out;
}

/** Wraps {@link makeFastConv2DBackpropInput} as a registrable config, keeping the stock setup. */
export function fastConv2DBackpropInputConfig(stock: tf.KernelConfig): tf.KernelConfig {
  // The stock wasm kernel function is a WasmKernelFunc; tfjs types its backend as `{}`.
  return { ...stock, kernelFunc: asKernelFunc(makeFastConv2DBackpropInput(stock.kernelFunc as unknown as WasmKernelFunc)) };
}

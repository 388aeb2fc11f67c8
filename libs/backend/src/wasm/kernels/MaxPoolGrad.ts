import * as tf from '@tensorflow/tfjs';
import { requireFloat32, requireInput, requireRank4 } from '../internal/inputs';
import { asKernelFunc, WASM, type WasmKernelArgs } from '../internal/wasm_kernel_call';

/**
 * Gradient of 2-D max pooling on the wasm backend, replacing the stock kernel,
 * which is wrong whenever batch or channels exceed 1 for many window/stride
 * combinations (e.g. 2×2/2 'valid' on [2, 8, 8, 3]: scaled error 0.47 against
 * cpu) and slow (~48 ms for [64, 28, 28, 16]).
 *
 * dy of each window goes to the window's first maximum in row-major order
 * (strict >), as in the cpu backend; overlapping windows accumulate. This is a
 * plain loop over the wasm heap: no stock wasm kernel computes a correct argmax
 * (MaxPoolWithArgmax shares the bug), and the loop costs one pass over the
 * windows (~B·OH·OW·C·FH·FW compares), a few ms for a small CNN.
 *
 * @param args.inputs `dy` [B, OH, OW, C], `input` [B, H, W, C] (float32, NHWC).
 * @param args.attrs `MaxPoolGradAttrs` (filterSize, strides, pad, dimRoundingMode).
 * @returns dx with the shape of `input`.
 * @example
 * tf.grad((x) => tf.maxPool(x, 2, 2, 'valid').sum())(x); // on wasm, after registerWasmKernels()
 */
export function maxPoolGrad({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const name = tf.MaxPoolGrad;
  const dy = requireInput(inputs, 'dy', name);
  const input = requireInput(inputs, 'input', name);
  requireFloat32(input, 'input', name);
  requireFloat32(dy, 'dy', name);
  const shape = requireRank4(input, 'input', name);
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(shape, filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;

  const out = backend.makeOutput(input.shape, 'float32');
  // Views taken after makeOutput: an allocation may grow (and detach) the heap.
  const dx = backend.typedArrayFromHeap(out);
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  dx.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const rowStart = oh * strideHeight - top;
      const rowMin = Math.max(0, rowStart);
      const rowMax = Math.min(inHeight, rowStart + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const colStart = ow * strideWidth - left;
        const colMin = Math.max(0, colStart);
        const colMax = Math.min(inWidth, colStart + filterWidth);
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * inChannels;
        for (let c = 0; c < inChannels; c++) {
          let best = -Infinity;
          let bestIndex = -1;
          for (let r = rowMin; r < rowMax; r++) {
            let index = ((b * inHeight + r) * inWidth + colMin) * inChannels + c;
            for (let col = colMin; col < colMax; col++, index += inChannels) {
              const value = x[index];
              if (value > best) {
                best = value;
                bestIndex = index;
              }
            }
          }
          if (bestIndex >= 0) dx[bestIndex] = dx[bestIndex] + g[dyBase + c];
        }
      }
    }
  }
  return out;
}

/** Registration record of {@link maxPoolGrad}; replaces the stock wasm kernel. */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: WASM,
  kernelFunc: asKernelFunc(maxPoolGrad),
};

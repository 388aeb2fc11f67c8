import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../backend_error';
import { requireFloat32, requireInput, requireRank4 } from '../internal/inputs';
import { asKernelFunc, WASM, WasmScratch, type WasmKernelArgs } from '../internal/wasm_kernel_call';

/**
 * Gradient of a 2-D convolution with respect to its filter, on the wasm backend
 * (which ships none, so no CNN can train on it as shipped).
 *
 *   dW[fh, fw, ci, co] = Σ_{b, oh, ow} x_pad[b, oh·s_h + fh, ow·s_w + fw, ci] · dy[b, oh, ow, co]
 *
 * is itself a forward convolution with the roles of batch and channels swapped:
 * input xᵀ = [Ci, H, W, B] (batch Ci, channels B), filter dyᵀ = [OH, OW, B, Co]
 * dilated by the forward stride, stride 1, explicit padding chosen so that the
 * output is exactly [Ci, FH, FW, Co]. That runs on the stock XNNPACK Conv2D
 * kernel; the only other work is three transposes (and a crop when the forward
 * pass never reads the last rows or columns of x).
 *
 * @param args.inputs `x` [B, H, W, Ci] and `dy` [B, OH, OW, Co], float32, NHWC.
 * @param args.attrs `Conv2DBackpropFilterAttrs` (strides, pad, dataFormat,
 *   dimRoundingMode, filterShape).
 * @returns dW with shape `filterShape` = [FH, FW, Ci, Co].
 * @example
 * // registered by registerWasmKernels(); then, on wasm:
 * tf.grad((w) => tf.conv2d(x, w, 2, 'same').sum())(w);
 */
export function conv2DBackpropFilter({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const name = tf.Conv2DBackpropFilter;
  const x = requireInput(inputs, 'x', name);
  const dy = requireInput(inputs, 'dy', name);
  requireFloat32(x, 'x', name);
  requireFloat32(dy, 'dy', name);
  const [batch, inHeight, inWidth, inChannels] = requireRank4(x, 'x', name);
  requireRank4(dy, 'dy', name);
  // Plain data: the engine passes exactly the op's attrs.
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') {
    throw new BackendError('UNSUPPORTED', `${name} (wasm): dataFormat must be 'NHWC', got '${dataFormat}'`);
  }
  const info = tf.backend_util.computeConv2DInfo([batch, inHeight, inWidth, inChannels], filterShape, strides, 1, pad, dimRoundingMode);
  const { filterHeight, filterWidth, outHeight, outWidth, outChannels, strideHeight, strideWidth } = info;
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth || dy.shape[3] !== outChannels || dy.shape[0] !== batch) {
    throw new BackendError(
      'UNSUPPORTED',
      `${name} (wasm): dy shape [${dy.shape.join(', ')}] does not match the forward output ` +
        `[${batch}, ${outHeight}, ${outWidth}, ${outChannels}] of x [${x.shape.join(', ')}] and filter [${filterShape.join(', ')}]`,
    );
  }
  const { top, left } = info.padInfo;
  // Rows of x_pad the dilated filter dyᵀ sweeps over: top + H + bottom must equal
  // FH + s·(OH − 1). A negative bottom means the last rows of x are never read.
  const bottom = filterHeight + strideHeight * (outHeight - 1) - top - inHeight;
  const right = filterWidth + strideWidth * (outWidth - 1) - left - inWidth;

  const scratch = new WasmScratch(backend);
  try {
    let xUsed = x;
    if (bottom < 0 || right < 0) {
      xUsed = scratch.run(
        tf.Slice,
        { x },
        {
          begin: [0, 0, 0, 0],
          size: [batch, inHeight + Math.min(bottom, 0), inWidth + Math.min(right, 0), inChannels],
        },
      );
    }
    const xT = scratch.run(tf.Transpose, { x: xUsed }, { perm: [3, 1, 2, 0] });
    const dyT = scratch.run(tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
    const dwT = scratch.run(
      tf.Conv2D,
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, Math.max(bottom, 0)],
          [left, Math.max(right, 0)],
          [0, 0],
        ],
        dilations: [strideHeight, strideWidth],
        dataFormat: 'NHWC',
      },
    );
    // [Ci, FH, FW, Co] → [FH, FW, Ci, Co]
    const dw = scratch.run(tf.Transpose, { x: dwT }, { perm: [1, 2, 0, 3] });
    scratch.disposeAllBut(dw);
    return dw;
  } catch (e) {
    scratch.disposeAllBut();
    throw e;
  }
}

/** Registration record of {@link conv2DBackpropFilter} (tfjs-core style). */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: asKernelFunc(conv2DBackpropFilter),
};

import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../backend_error';
import { requireInput } from '../internal/inputs';
import { asKernelFunc, WasmScratch, type WasmKernelArgs, type WasmKernelFunc } from '../internal/wasm_kernel_call';
import { plainBatchMatMul } from './BatchMatMul';
import { gemmBatchMatMul } from './gemm_matmul';
import { matMulOutShape, plainOperands } from './matmul_operands';

/** Activations the stock kernel fuses into its XNNPACK GEMM as an output clamp. */
const CLAMP_ACTIVATIONS: ReadonlySet<string> = new Set(['linear', 'relu', 'relu6']);

/**
 * Builds the fast wasm `_FusedMatMul` (matMul + bias + activation, as made by
 * `tf.fused.matMul`): the product on our SIMD GEMM (`gemmBatchMatMul`), then Add
 * and the activation's own kernel, which also fixes the stock scalar path's bias
 * indexing (it reads bias[min(i·N + j, N − 1)]). Where the GEMM cannot run,
 * operands are transposed explicitly; single-matrix products with a rank-1 bias
 * of length N and a clamp activation then go to the stock kernel's XNNPACK path
 * with everything fused, the rest to the stock BatchMatMul, Add and activation.
 *
 * @param stock The stock wasm `_FusedMatMul` kernel function.
 * @param stockBatchMatMul The stock wasm `BatchMatMul` kernel function.
 * @returns A kernel function with the stock one's contract.
 * @example
 * makeFastFusedMatMul(tf.getKernel('_FusedMatMul', 'wasm').kernelFunc, tf.getKernel('BatchMatMul', 'wasm').kernelFunc)
 */
export function makeFastFusedMatMul(stock: WasmKernelFunc, stockBatchMatMul: WasmKernelFunc): WasmKernelFunc {
  return ({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo => {
    const name = tf._FusedMatMul;
    const a = requireInput(inputs, 'a', name);
    const b = requireInput(inputs, 'b', name);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stock({ inputs, backend, attrs }); // throws its own dtype error
    }
    const { bias, preluActivationWeights } = inputs;
    const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as unknown as tf._FusedMatMulAttrs;
    const scratch = new WasmScratch(backend);
    try {
      const operands = { a, b, transposeA, transposeB, kernelName: name };
      const outShape = matMulOutShape(operands);
      const epilogue = (product: tf.TensorInfo): tf.TensorInfo => {
        const biased = bias === undefined ? product : scratch.run(tf.Add, { a: product, b: bias });
        return applyActivation(scratch, { x: biased, activation, preluActivationWeights, leakyreluAlpha });
      };
      let out: tf.TensorInfo;
      const product = gemmBatchMatMul(scratch, operands);
      if (product !== null) {
        out = epilogue(product);
      } else {
        const plain = plainOperands(scratch, operands);
        const n = outShape[outShape.length - 1];
        const single = plain.a.shape[0] === 1 && plain.b.shape[0] === 1;
        const fusableBias = bias === undefined || (bias.shape.length === 1 && bias.shape[0] === n);
        out =
          single && fusableBias && CLAMP_ACTIVATIONS.has(activation)
            ? scratch.keep(
                stock({
                  inputs: bias === undefined ? { a: plain.a, b: plain.b } : { a: plain.a, b: plain.b, bias },
                  backend,
                  attrs: { ...attrs, transposeA: false, transposeB: false },
                }),
              )
            : epilogue(plainBatchMatMul(scratch, { stock: stockBatchMatMul, a: plain.a, b: plain.b }));
      }
      out = scratch.run(tf.Reshape, { x: out }, { shape: outShape });
      scratch.disposeAllBut(out);
      return out;
    } catch (e) {
      scratch.disposeAllBut();
      throw e;
    }
  };
}

/** Applies a fused-op activation with its own wasm kernel. */
function applyActivation(
  scratch: WasmScratch,
  args: { x: tf.TensorInfo; activation: tf._FusedMatMulAttrs['activation']; preluActivationWeights?: tf.TensorInfo; leakyreluAlpha?: number },
): tf.TensorInfo {
  const { x, activation } = args;
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return scratch.run(tf.Relu, { x });
    case 'relu6':
      return scratch.run(tf.Relu6, { x });
    case 'elu':
      return scratch.run(tf.Elu, { x });
    case 'sigmoid':
      return scratch.run(tf.Sigmoid, { x });
    case 'leakyrelu':
      return scratch.run(tf.LeakyRelu, { x }, { alpha: args.leakyreluAlpha ?? 0.2 });
    case 'prelu': {
      const alpha = args.preluActivationWeights;
      if (alpha === undefined) {
        throw new BackendError('UNSUPPORTED', `${tf._FusedMatMul} (wasm): activation 'prelu' needs input 'preluActivationWeights'`);
      }
      return scratch.run(tf.Prelu, { x, alpha });
    }
  }
}

/** Wraps {@link makeFastFusedMatMul} as a registrable config, keeping the stock setup. */
export function fastFusedMatMulConfig(stock: tf.KernelConfig, stockBatchMatMul: tf.KernelConfig): tf.KernelConfig {
  // The stock wasm kernel functions are WasmKernelFuncs; tfjs types their backend as `{}`.
  const fused = stock.kernelFunc as unknown as WasmKernelFunc;
  const plain = stockBatchMatMul.kernelFunc as unknown as WasmKernelFunc;
  return { ...stock, kernelFunc: asKernelFunc(makeFastFusedMatMul(fused, plain)) };
}

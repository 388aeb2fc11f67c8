import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendError } from '../../backend_error';

/** The name tfjs registers the WebAssembly backend under. */
export const WASM = 'wasm';

/** Arguments of a wasm kernel function, with the backend typed. */
export interface WasmKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: tf.NamedAttrMap;
}

/** A kernel function written against the wasm backend. */
export type WasmKernelFunc = (args: WasmKernelArgs) => tf.TensorInfo;

/**
 * Wraps a {@link WasmKernelFunc} as a tfjs `KernelFunc`: tfjs types the backend as
 * `{}`, and `attrs` as optional.
 */
export function asKernelFunc(f: WasmKernelFunc): tf.KernelFunc {
  return (params) => f({ inputs: params.inputs, backend: params.backend as BackendWasm, attrs: params.attrs ?? {} });
}

/**
 * Intermediate tensors of one kernel call. Each is released with
 * `backend.disposeData` (refcounted, so reshapes that share a buffer are safe).
 */
export class WasmScratch {
  private readonly held: tf.TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  /**
   * Runs the wasm kernel currently registered under `kernelName` and keeps its
   * output for disposal.
   */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    return this.keep(callWasmKernel(kernelName, { inputs, backend: this.backend, attrs }));
  }

  /** Keeps `info` for disposal and returns it. */
  keep(info: tf.TensorInfo): tf.TensorInfo {
    this.held.push(info);
    return info;
  }

  /** Releases every kept tensor except `result` (the kernel's output). */
  disposeAllBut(result?: tf.TensorInfo): void {
    for (const info of this.held) {
      if (info !== result) this.backend.disposeData(info.dataId);
    }
    this.held.length = 0;
  }
}

/**
 * Calls the wasm kernel registered under `kernelName` (stock or ours) directly,
 * bypassing the engine: no tensors are tracked, the caller disposes the output.
 */
export function callWasmKernel(kernelName: string, args: WasmKernelArgs): tf.TensorInfo {
  const config = tf.getKernel(kernelName, WASM);
  if (config === undefined) {
    throw new BackendError('WASM_NOT_READY', `callWasmKernel: no wasm kernel '${kernelName}' is registered`);
  }
  return config.kernelFunc(args) as tf.TensorInfo;
}

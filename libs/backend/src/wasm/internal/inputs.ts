import type * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../backend_error';

/**
 * Returns input `name` of a kernel call, or throws naming the kernel and the input.
 */
export function requireInput(inputs: tf.NamedTensorInfoMap, name: string, kernelName: string): tf.TensorInfo {
  const info = inputs[name];
  if (info === undefined) {
    throw new BackendError('UNSUPPORTED', `${kernelName} (wasm): missing input '${name}'`);
  }
  return info;
}

/** Throws unless `info` is float32: the wasm kernels we build on are float32-only. */
export function requireFloat32(info: tf.TensorInfo, name: string, kernelName: string): void {
  if (info.dtype !== 'float32') {
    throw new BackendError('UNSUPPORTED', `${kernelName} (wasm): input '${name}' must be float32, got ${info.dtype}`);
  }
}

/** Throws unless `info` has rank 4, naming the kernel, input and shape. */
export function requireRank4(info: tf.TensorInfo, name: string, kernelName: string): [number, number, number, number] {
  if (info.shape.length !== 4) {
    throw new BackendError('UNSUPPORTED', `${kernelName} (wasm): input '${name}' must be rank 4, got shape [${info.shape.join(', ')}]`);
  }
  return info.shape as [number, number, number, number];
}

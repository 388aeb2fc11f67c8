import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './kernels/Conv2DBackpropFilter';
import { maxPoolGradConfig } from './kernels/MaxPoolGrad';
import { unsortedSegmentSumConfig } from './kernels/UnsortedSegmentSum';

/**
 * Kernels that tfjs-backend-wasm 4.22 lacks and training needs:
 * Conv2DBackpropFilter (every conv2d gradient), UnsortedSegmentSum (tf.gather's
 * gradient).
 */
const MISSING_WASM_KERNELS: readonly tf.KernelConfig[] = [conv2DBackpropFilterConfig, unsortedSegmentSumConfig];

/**
 * Kernels tfjs-backend-wasm 4.22 ships but gets wrong: MaxPoolGrad (wrong for
 * batch or channels > 1 with many window/stride combinations).
 */
const CORRECTED_WASM_KERNELS: readonly tf.KernelConfig[] = [maxPoolGradConfig];

/**
 * Registers the wasm kernels that tfjs-backend-wasm lacks (a kernel some later
 * tfjs version ships itself is left alone) and replaces the ones it gets wrong.
 * Idempotent. Needs no initialised backend (the kernels have no setup step).
 *
 * @returns The names of the kernels of ours that are registered now.
 * @example
 * registerWasmKernels(); // ['Conv2DBackpropFilter', 'UnsortedSegmentSum', 'MaxPoolGrad']
 */
export function registerWasmKernels(): string[] {
  const ours: string[] = [];
  for (const config of MISSING_WASM_KERNELS) {
    const present = tf.getKernel(config.kernelName, config.backendName);
    if (present === undefined) tf.registerKernel(config);
    if (present === undefined || present.kernelFunc === config.kernelFunc) ours.push(config.kernelName);
  }
  for (const config of CORRECTED_WASM_KERNELS) {
    const present = tf.getKernel(config.kernelName, config.backendName);
    if (present?.kernelFunc !== config.kernelFunc) {
      if (present !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
      tf.registerKernel(config);
    }
    ours.push(config.kernelName);
  }
  return ours;
}

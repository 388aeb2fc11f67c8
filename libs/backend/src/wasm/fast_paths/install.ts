import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../backend_error';
import { WASM } from '../internal/wasm_kernel_call';
import { fastAddConfig } from './Add';
import { fastBatchMatMulConfig } from './BatchMatMul';
import { fastCastConfig } from './Cast';
import { fastConv2DBackpropInputConfig } from './Conv2DBackpropInput';
import { fastFusedMatMulConfig } from './_FusedMatMul';
import { fastIdentityConfig } from './Identity';
import { fastSliceConfig, fastSplitVConfig } from './Slice';
import { fastSumConfig } from './Sum';

/** Stock configs we replaced, by kernel name; present exactly while installed. */
const stockConfigs = new Map<string, tf.KernelConfig>();

/** Stock kernel name → builder of its replacement (given every stock config). */
const FAST_PATHS: ReadonlyArray<[string, (stock: (name: string) => tf.KernelConfig) => tf.KernelConfig]> = [
  [tf.BatchMatMul, (stock) => fastBatchMatMulConfig(stock(tf.BatchMatMul))],
  [tf._FusedMatMul, (stock) => fastFusedMatMulConfig(stock(tf._FusedMatMul), stock(tf.BatchMatMul))],
  [tf.Conv2DBackpropInput, (stock) => fastConv2DBackpropInputConfig(stock(tf.Conv2DBackpropInput))],
  [tf.Slice, (stock) => fastSliceConfig(stock(tf.Slice))],
  [tf.SplitV, (stock) => fastSplitVConfig(stock(tf.SplitV))],
  [tf.Identity, (stock) => fastIdentityConfig(stock(tf.Identity))],
  [tf.Sum, (stock) => fastSumConfig(stock(tf.Sum))],
  [tf.Add, (stock) => fastAddConfig(stock(tf.Add))],
  [tf.Cast, (stock) => fastCastConfig(stock(tf.Cast))],
];

/**
 * Replaces stock wasm kernels with faster equivalents: BatchMatMul and
 * _FusedMatMul on our own wasm-SIMD GEMM (`../gemm`: operands read in place, a
 * transposed a for free, no per-call XNNPACK weight packing; explicit
 * transposes and the stock XNNPACK kernel where it cannot run),
 * Conv2DBackpropInput (a forward XNNPACK convolution), Slice and SplitV (read
 * through a heap view, not a full copy of the input per call), Identity (shares
 * the buffer instead of copying it), Sum over leading axes (no transpose; a
 * SIMD column sum), Add of a bias (a SIMD row-wise add instead of the generic
 * broadcasting loop), Cast to the same dtype (shares the buffer). Each replacement keeps
 * the stock setup function and a reference to the stock kernel function.
 * Idempotent.
 *
 * @returns The names of the kernels that now run a fast path.
 * @throws BackendError `WASM_NOT_READY` if tfjs-backend-wasm has not been loaded.
 * @example
 * await initBackend({ request: 'wasm', fastPaths: false });
 * installWasmFastPaths(); // ['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropInput', 'Slice', 'SplitV', 'Identity', 'Sum', 'Add', 'Cast']
 */
export function installWasmFastPaths(): string[] {
  if (stockConfigs.size > 0) return [...stockConfigs.keys()];
  const stock = (name: string): tf.KernelConfig => {
    const config = tf.getKernel(name, WASM);
    if (config === undefined) {
      throw new BackendError(
        'WASM_NOT_READY',
        `installWasmFastPaths: the stock wasm kernel '${name}' is not registered; load @tensorflow/tfjs-backend-wasm first (initBackend({ request: 'wasm' }))`,
      );
    }
    return config;
  };
  // Build every replacement before touching the registry, so a failure changes nothing.
  const replacements = FAST_PATHS.map(([name, build]) => [stock(name), build(stock)] as const);
  for (const [original, fast] of replacements) {
    stockConfigs.set(original.kernelName, original);
    tf.unregisterKernel(original.kernelName, WASM);
    tf.registerKernel(fast);
  }
  return [...stockConfigs.keys()];
}

/**
 * Puts the stock wasm kernels back (for benchmarks comparing both). Idempotent.
 *
 * @example
 * uninstallWasmFastPaths(); installWasmFastPaths();
 */
export function uninstallWasmFastPaths(): void {
  for (const [name, original] of stockConfigs) {
    tf.unregisterKernel(name, WASM);
    tf.registerKernel(original);
  }
  stockConfigs.clear();
}

/** Names of the kernels currently running a fast path (empty when none). */
export function installedWasmFastPaths(): string[] {
  return [...stockConfigs.keys()];
}

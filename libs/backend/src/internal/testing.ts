import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { setWasmGemmEnabled } from '../wasm/gemm/gemm';

/**
 * Deterministic standard-normal-ish float32 values (mulberry32 + Box–Muller), so
 * numerical tests are reproducible without Math.random.
 *
 * @param size Number of values.
 * @param seed Any integer.
 * @example
 * randomArray(6, 1) // Float32Array(6) [...]
 */
export function randomArray(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  }
  return out;
}

/**
 * Runs `f` with `backendName` active and returns what it returns (typed arrays,
 * not tensors), restoring the previous backend afterwards.
 *
 * @param backendName A registered, initialised tfjs backend.
 * @param f Computes values; tensors it makes are disposed.
 * @example
 * const ref = await onBackend('cpu', () => tf.square(tf.tensor([2])).dataSync());
 */
export async function onBackend<T>(backendName: string, f: () => T): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(backendName);
  try {
    const scopeResult: { value?: T } = {};
    // A tidy never returns the typed arrays: tidy walks its result looking for tensors.
    tf.tidy(() => {
      scopeResult.value = f();
    });
    return scopeResult.value as T;
  } finally {
    await tf.setBackend(previous);
  }
}

/**
 * {@link onBackend} on wasm with our GEMM module on or off (`false`: the stock
 * XNNPACK/JS paths), switching it back on afterwards whatever happens.
 *
 * @param gemm Whether the fast paths may use the GEMM module.
 * @param f Computes values; tensors it makes are disposed.
 */
export async function onWasmWithGemm<T>(gemm: boolean, f: () => T): Promise<T> {
  setWasmGemmEnabled(gemm);
  try {
    return await onBackend('wasm', f);
  } finally {
    setWasmGemmEnabled(true);
  }
}

/**
 * Largest |actual − expected| divided by max(1, max |expected|): the error
 * relative to the scale of the result.
 */
export function scaledMaxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, 'scaledMaxError: lengths differ');
  let scale = 1;
  let err = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i] ?? 0));
  for (let i = 0; i < expected.length; i++) err = Math.max(err, Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN)));
  return Number.isNaN(err) ? Infinity : err / scale;
}

/**
 * Float32 tolerance for {@link scaledMaxError}: results of sums of up to a few
 * thousand products agree to ~1e-6 relative; 1e-4 leaves room for order changes.
 */
export const FLOAT32_TOLERANCE = 1e-4;

/** Asserts `actual` ≈ `expected` within {@link FLOAT32_TOLERANCE} (scaled), naming the case. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  const err = scaledMaxError(actual, expected);
  assert.ok(err <= FLOAT32_TOLERANCE, `${label}: scaled max error ${err} > ${FLOAT32_TOLERANCE}`);
}

/**
 * Asserts that `op`, run three times (each inside tf.tidy) on the active backend,
 * leaves as many tensors and backend buffers (data ids) as there were before: a
 * kernel that forgets to release a wasm buffer shows up in the second count only.
 *
 * @param op Runs the kernels under test; its tensors are tidied.
 */
export function assertNoLeaks(op: () => void): void {
  const tensors = tf.memory().numTensors;
  const buffers = tf.backend().numDataIds();
  for (let i = 0; i < 3; i++) tf.tidy(() => op());
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(tf.backend().numDataIds(), buffers);
}

import * as tf from '@tensorflow/tfjs';

/** Test helper: resolves once tfjs runs on the pure-JS cpu backend. */
export async function useCpuBackend(): Promise<void> {
  const ok = await tf.setBackend('cpu');
  if (!ok) throw new Error('useCpuBackend: tf.setBackend("cpu") failed');
}

/** Test helper: central difference of a float64 function along coordinate j. */
export function centralDifference(f: (theta: Float64Array) => number, theta: Float64Array, at: { j: number; eps: number }): number {
  const plus = Float64Array.from(theta);
  const minus = Float64Array.from(theta);
  plus[at.j] += at.eps;
  minus[at.j] -= at.eps;
  return (f(plus) - f(minus)) / (2 * at.eps);
}

/** Test helper: the float32 loss of `lossFn` at θ (disposes everything). */
export function lossAt(lossFn: (theta: tf.Tensor1D) => tf.Scalar, theta: Float32Array): number {
  return tf.tidy(() => lossFn(tf.tensor1d(theta)).dataSync()[0]);
}

/** Test helper: a deterministic pseudo-random float32 vector in [-1, 1) (LCG; tests only). */
export function testVector(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

import * as tf from '@tensorflow/tfjs';

/**
 * Adapts a tfjs loss over a flat parameter vector into a float32 gradient function
 * (first-order tf.grad only, which is reliable; see finiteDifferenceHvp). Every call
 * runs inside tf.tidy and disposes its result, so it leaks no tensors.
 *
 * @param lossFn θ ↦ L(θ) as a scalar tensor.
 * @example const grad = tfGradient((t) => t.square().sum()); grad(new Float32Array([1, 2])) // [2, 4]
 */
export function tfGradient(lossFn: (theta: tf.Tensor1D) => tf.Scalar): (theta: Float32Array) => Float32Array {
  // tf.grad is typed over Tensor<Rank>; we only ever feed it a 1-D tensor.
  const gradFn = tf.grad((x: tf.Tensor) => lossFn(x as tf.Tensor1D));
  return (theta: Float32Array): Float32Array => {
    const g = tf.tidy(() => gradFn(tf.tensor1d(theta, 'float32')));
    try {
      if (g.size !== theta.length) {
        throw new RangeError(`tfGradient: gradient has ${g.size} entries, theta has ${theta.length}`);
      }
      // Copy: the backend may hand out its own storage.
      return Float32Array.from(g.dataSync());
    } finally {
      g.dispose();
    }
  };
}

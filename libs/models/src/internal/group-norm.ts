import * as tf from '@tensorflow/tfjs';

/** Greatest common divisor, for choosing a group count that divides the channels. */
export function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Group normalisation (Wu & He 2018) of NHWC `x`: channels split into `groups`,
 * each (sample, group) normalised over H, W and its channels, then scaled by γ and
 * shifted by β per channel. No running statistics, so a model stays a pure
 * function of θ.
 */
export function groupNorm(x: tf.Tensor4D, affine: { gamma: tf.Tensor; beta: tf.Tensor; groups: number }): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const g = affine.groups;
  const grouped = x.reshape([b, h, w, g, c / g]);
  const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
  const normed = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, 1e-5))).reshape([b, h, w, c]);
  return tf.add(tf.mul(normed, affine.gamma), affine.beta);
}

/**
 * Test fixture: a 4-5-3 tanh MLP with softmax cross-entropy, written twice — in tfjs
 * (float32) and in plain float64 JS with a hand-written backward pass — so the
 * finite-difference HVP can be checked against a float64 Hessian.
 * Layout of θ: W1 (4×5, row-major [in][out]), b1 (5), W2 (5×3), b2 (3): 43 numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { ProbeStream, normalVector } from './rng';

export const MLP_DIM = 4 * 5 + 5 + 5 * 3 + 3;
const IN = 4;
const HID = 5;
const OUT = 3;

/** A fixed data set: `count` inputs (row-major) and labels in {0, 1, 2}. */
export interface MlpData {
  readonly x: Float64Array;
  readonly labels: Int32Array;
  readonly count: number;
}

/** 12 fixed samples. */
export function mlpData(): MlpData {
  const count = 12;
  const x = normalVector({ seed: 77, stream: ProbeStream.TEST, index: 1000 }, count * IN);
  const labels = Int32Array.from({ length: count }, (_, i) => i % OUT);
  return { x, labels, count };
}

/** A fixed, moderately scaled parameter vector. */
export function mlpTheta(): Float64Array {
  return normalVector({ seed: 78, stream: ProbeStream.TEST, index: 0 }, MLP_DIM).map((v) => 0.7 * v);
}

/** The loss in tfjs: mean softmax cross-entropy. */
export function mlpLossTf(theta: tf.Tensor1D, data: { readonly x: tf.Tensor2D; readonly y: tf.Tensor }): tf.Scalar {
  return tf.tidy(() => {
    const w1 = theta.slice(0, IN * HID).reshape([IN, HID]);
    const b1 = theta.slice(IN * HID, HID);
    const w2 = theta.slice(IN * HID + HID, HID * OUT).reshape([HID, OUT]);
    const b2 = theta.slice(IN * HID + HID + HID * OUT, OUT);
    const hidden = tf.tanh(data.x.matMul(w1).add(b1));
    const logits = hidden.matMul(w2).add(b2);
    return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(data.y, logits);
  });
}

/** The exact float64 gradient of the same loss (hand-written backward pass). */
export function mlpGradient64(theta: Float64Array, data: MlpData): Float64Array {
  const oB1 = IN * HID;
  const oW2 = oB1 + HID;
  const oB2 = oW2 + HID * OUT;
  const g = new Float64Array(MLP_DIM);
  const h = new Float64Array(HID);
  const z = new Float64Array(OUT);
  const dz = new Float64Array(OUT);
  for (let s = 0; s < data.count; s++) {
    const xs = data.x.subarray(s * IN, (s + 1) * IN);
    for (let j = 0; j < HID; j++) {
      let a = theta[oB1 + j];
      for (let i = 0; i < IN; i++) a += xs[i] * theta[i * HID + j];
      h[j] = Math.tanh(a);
    }
    let zMax = -Infinity;
    for (let k = 0; k < OUT; k++) {
      let a = theta[oB2 + k];
      for (let j = 0; j < HID; j++) a += h[j] * theta[oW2 + j * OUT + k];
      z[k] = a;
      zMax = Math.max(zMax, a);
    }
    let sum = 0;
    for (let k = 0; k < OUT; k++) sum += Math.exp(z[k] - zMax);
    for (let k = 0; k < OUT; k++) dz[k] = (Math.exp(z[k] - zMax) / sum - (k === data.labels[s] ? 1 : 0)) / data.count;
    for (let k = 0; k < OUT; k++) g[oB2 + k] += dz[k];
    for (let j = 0; j < HID; j++) {
      let dh = 0;
      for (let k = 0; k < OUT; k++) {
        g[oW2 + j * OUT + k] += h[j] * dz[k];
        dh += theta[oW2 + j * OUT + k] * dz[k];
      }
      const da = dh * (1 - h[j] * h[j]);
      g[oB1 + j] += da;
      for (let i = 0; i < IN; i++) g[i * HID + j] += xs[i] * da;
    }
  }
  return g;
}

/** The data as tfjs tensors (float32 inputs, one-hot labels); the caller disposes them. */
export function mlpTensors(data: MlpData): { readonly x: tf.Tensor2D; readonly y: tf.Tensor } {
  return tf.tidy(() => ({
    x: tf.tensor2d(Float32Array.from(data.x), [data.count, IN]),
    y: tf.oneHot(tf.tensor1d(data.labels, 'int32'), OUT),
  }));
}

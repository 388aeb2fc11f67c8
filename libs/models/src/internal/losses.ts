import * as tf from '@tensorflow/tfjs';

/**
 * scale · mean over samples of ‖pred_i − y_i‖² (the sum over the outputs of a
 * sample, the mean over the batch). `y` is [B] or [B, k].
 */
export function scaledSquaredError(pred: tf.Tensor2D, y: tf.Tensor, opts: { modelName: string; scale: number }): tf.Scalar {
  const { modelName, scale } = opts;
  const [b, k] = pred.shape;
  if (y.shape[0] !== b || y.size !== b * k) {
    throw new Error(`${modelName}: y must have shape [${b}] or [${b}, ${k}] to match x, got [${y.shape.join(', ')}]`);
  }
  if (y.dtype !== 'float32') throw new Error(`${modelName}: regression y must be float32, got ${y.dtype}`);
  const diff = tf.sub(pred, y.reshape([b, k]));
  const perSample = k === 1 ? tf.square(diff) : tf.sum(tf.square(diff), 1);
  return tf.mul(tf.mean(perSample), scale);
}

function checkLabels(modelName: string, logits: tf.Tensor2D, labels: tf.Tensor): void {
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new Error(`${modelName}: labels must have shape [${logits.shape[0]}], got [${labels.shape.join(', ')}]`);
  }
  if (labels.dtype !== 'int32') throw new Error(`${modelName}: labels must be int32 class ids, got ${labels.dtype}`);
}

/**
 * Mean softmax cross-entropy −(1/B) Σ_i log softmax(z_i)[y_i], through the stable
 * `logSoftmax` (first-order gradients only: no nested tf.grad anywhere).
 */
export function softmaxCrossEntropy(modelName: string, logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  checkLabels(modelName, logits, labels);
  const oneHot = tf.oneHot(labels as tf.Tensor1D, logits.shape[1]).toFloat();
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

/** Fraction of samples whose arg-max logit is the label. */
export function accuracy(modelName: string, logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  checkLabels(modelName, logits, labels);
  return tf.mean(tf.equal(tf.argMax(logits, 1), labels).toFloat());
}

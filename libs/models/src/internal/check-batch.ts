import type * as tf from '@tensorflow/tfjs';
import type { Model } from '../model';

/**
 * Checks a batch against the model's declared input shape, task and outputs before
 * anything is differentiated. The models check the same things inside their loss,
 * but a throw there comes after the gradient tape has kept the forward pass's
 * tensors for the backward pass, and those are then never disposed (10–12 tensors
 * per bad call on the MLP): callers that survive a bad batch (the metrics service
 * counts a failed estimate and goes on) would leak on every one.
 *
 * @throws Error with the same messages as the models' own checks.
 */
export function checkBatch(model: Model, x: tf.Tensor, y: tf.Tensor): void {
  const name = model.name;
  const want = model.inputShape.reduce((a, b) => a * b, 1);
  const have = x.shape.slice(1).reduce((a, b) => a * b, 1);
  if (x.rank < 1 || have !== want) {
    throw new Error(`${name}: x must have shape [B, ${model.inputShape.join(', ')}] (or [B, ${want}]), got [${x.shape.join(', ')}]`);
  }
  const b = x.shape[0];
  if (model.task === 'classification') {
    if (y.rank !== 1 || y.shape[0] !== b) throw new Error(`${name}: labels must have shape [${b}], got [${y.shape.join(', ')}]`);
    if (y.dtype !== 'int32') throw new Error(`${name}: labels must be int32 class ids, got ${y.dtype}`);
    return;
  }
  const k = model.outputSize;
  if (y.shape[0] !== b || y.size !== b * k) throw new Error(`${name}: y must have shape [${b}] or [${b}, ${k}] to match x, got [${y.shape.join(', ')}]`);
  if (y.dtype !== 'float32') throw new Error(`${name}: regression y must be float32, got ${y.dtype}`);
}

import * as tf from '@tensorflow/tfjs';
import { gatherBatch, type Dataset } from '@lnsgd/data';
import type { Model } from '@lnsgd/models';

/** Clean (noise-free) loss and metric of θ on a data set. */
export interface Evaluation {
  readonly loss: number;
  readonly metric: number;
  readonly samples: number;
}

/**
 * Evaluates θ on `indices` of `ds` in chunks (bounded memory), weighting each
 * chunk's mean by its size so the result is the mean over all samples.
 *
 * @param model the zoo model.
 * @param theta flat parameters.
 * @param opts the data set, which samples (default all), and the chunk size.
 */
export function evaluate(
  model: Model,
  theta: Float32Array,
  opts: { readonly ds: Dataset; readonly indices?: Int32Array; readonly chunk?: number },
): Evaluation {
  const { ds } = opts;
  const indices = opts.indices ?? Int32Array.from({ length: ds.n }, (_, i) => i);
  const chunk = opts.chunk ?? 1024;
  let lossSum = 0;
  let metricSum = 0;
  const th = tf.tensor1d(theta);
  try {
    for (let start = 0; start < indices.length; start += chunk) {
      const idx = indices.subarray(start, Math.min(indices.length, start + chunk));
      const b = gatherBatch(ds, idx);
      const [l, m] = tf.tidy(() => {
        const x = tf.tensor(b.x, [idx.length, ...ds.xShape]);
        const y = batchLabels(ds, b.y, idx.length);
        return [model.loss(th, x, y), model.metric(th, x, y)];
      });
      const [lv, mv] = [l.dataSync()[0], m.dataSync()[0]];
      tf.dispose([l, m]);
      lossSum += lv * idx.length;
      metricSum += mv * idx.length;
    }
  } finally {
    th.dispose();
  }
  return { loss: lossSum / indices.length, metric: metricSum / indices.length, samples: indices.length };
}

/**
 * Wraps a batch's labels as the tensor the model's loss expects: int32 [B] class
 * ids, or float32 [B] / [B, yDim] regression targets.
 *
 * @param ds the data set the labels come from (task and yDim).
 * @param y the label values.
 * @param batch B.
 */
export function batchLabels(ds: Pick<Dataset, 'task' | 'yDim'>, y: Float32Array | Int32Array, batch: number): tf.Tensor {
  if (ds.task === 'classification') return tf.tensor1d(y, 'int32');
  return ds.yDim === 1 ? tf.tensor1d(y, 'float32') : tf.tensor2d(y, [batch, ds.yDim], 'float32');
}

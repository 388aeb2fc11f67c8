import { batchIndices, gatherBatch, type Dataset } from '@lnsgd/data';
import { createBatchLossAndGradient, type Model } from '@lnsgd/models';
import type { LabelNoiser } from './label_noiser';
import type { Hyper } from './presets';

/** A rank's share of one step: mean noisy loss and gradient over its samples. */
export interface NoisyGradient {
  /** Mean noisy batch loss over `samples` samples (NaN when samples = 0). */
  readonly loss: number;
  /** Mean gradient over `samples` samples (zeros when samples = 0). */
  readonly grad: Float32Array;
  /** Samples this rank drew for the step (its weight when gradients are combined). */
  readonly samples: number;
}

/** Options of {@link createNoisyGradient}. */
export interface NoisyGradientOptions {
  readonly model: Model;
  readonly train: Dataset;
  readonly hyper: Hyper;
  /** Label noise keyed by (seed, step, sample). */
  readonly noiser: LabelNoiser;
  /**
   * Largest number of samples differentiated at once (default: the whole share).
   * Larger shares are accumulated over micro-batches, weighted by their sizes.
   */
  readonly microBatch?: number;
}

/** Where a step's share comes from. */
export interface ShareOf {
  readonly step: number;
  /** Rank r in [0, worldSize) (default 0). */
  readonly rank?: number;
  /** N (default 1). */
  readonly worldSize?: number;
}

/**
 * One rank's part of Algorithm 1's step, shared by the in-process trainer and the
 * distributed worker: draw rank r's block of step k's global batch (which samples
 * depend only on (seed, k), never on N), replace their labels by the noisy ones keyed
 * by (seed, k, sample), and return the mean loss and gradient of the noisy loss. With
 * N = 1 and no micro-batching this is exactly the in-process step's gradient; the
 * parameter server's sample-weighted combine Σ_r n_r g_r / B then equals it up to
 * float summation order.
 *
 * @param opts model, training set, hyper-parameters, noise and the micro-batch cap.
 * @returns (θ, {step, rank, worldSize}) → {loss, grad, samples}.
 * @example createNoisyGradient({ model, train, hyper, noiser })(theta, { step: 0 }).grad
 */
export function createNoisyGradient(opts: NoisyGradientOptions): (theta: Float32Array, share: ShareOf) => NoisyGradient {
  const { model, train, hyper, noiser } = opts;
  const lossAndGradient = createBatchLossAndGradient(model);
  const micro = opts.microBatch ?? 0;
  if (!Number.isInteger(micro) || micro < 0) throw new RangeError(`createNoisyGradient: microBatch must be an integer >= 0, got ${micro}`);
  return (theta, share) => {
    const { step } = share;
    const idx = batchIndices({ seed: hyper.seed, step, globalBatch: hyper.batch, n: train.n, rank: share.rank ?? 0, worldSize: share.worldSize ?? 1 });
    const samples = idx.length;
    if (samples === 0) return { loss: Number.NaN, grad: new Float32Array(model.numParams), samples };
    const chunk = micro === 0 ? samples : micro;
    if (chunk >= samples) return { ...oneBatch(idx), samples };
    // Accumulate Σ n_j g_j in float64, then divide once: the mean over the share.
    const acc = new Float64Array(model.numParams);
    let lossSum = 0;
    for (let start = 0; start < samples; start += chunk) {
      const part = idx.subarray(start, Math.min(samples, start + chunk));
      const out = oneBatch(part);
      const w = part.length;
      lossSum += w * out.loss;
      const g = out.grad;
      for (let i = 0; i < g.length; i++) acc[i] += w * g[i];
    }
    const grad = new Float32Array(model.numParams);
    for (let i = 0; i < grad.length; i++) grad[i] = acc[i] / samples;
    return { loss: lossSum / samples, grad, samples };

    function oneBatch(part: Int32Array): { loss: number; grad: Float32Array } {
      const batch = gatherBatch(train, part);
      const noisy = noiser({ labels: batch.y, sampleIndices: part, step });
      return lossAndGradient(theta, { x: batch.x, y: noisy, size: part.length });
    }
  };
}

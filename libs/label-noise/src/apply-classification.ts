import { CounterRng, RngDomain } from '@lnsgd/random';
import { checkNoise, checkSampleIndices, checkSeedStep } from './internal/check';
import type { ClassificationNoise } from './label-noise';

/** A batch of class labels and where it sits in the run. */
export interface ClassificationBatch {
  /** One class index per sample, in [0, numClasses). */
  readonly labels: Int32Array;
  /** The global data-set index of each sample. */
  readonly sampleIndices: ArrayLike<number>;
  /** The optimizer step k. */
  readonly step: number;
  /** The run's seed. */
  readonly seed: number;
}

/**
 * Label flipping for classification: returns a new array where each label is,
 * with probability p, replaced by (y + 1 + r) mod C with r uniform on [0, C − 1),
 * i.e. a uniformly drawn other class. Whether sample i flips at step k (uniform at
 * LABEL_NOISE coordinates (k, i, 0)) and where to (randomInt at (k, i)) are pure
 * functions of (seed, k, i), independent of batching and worker count.
 *
 * @param noise a {@link ClassificationNoise}.
 * @param batch labels, sample indices, step and seed.
 * @returns the noisy labels (the input is not modified).
 * @example applyClassificationNoise(flipNoise({ flipProb: 0.2, numClasses: 10 }), { labels, sampleIndices, step, seed })
 */
export function applyClassificationNoise(noise: ClassificationNoise, batch: ClassificationBatch): Int32Array {
  const fn = 'applyClassificationNoise';
  checkNoise(fn, noise);
  checkSeedStep(fn, batch);
  const { labels, sampleIndices, step } = batch;
  if (labels.length !== sampleIndices.length) {
    throw new RangeError(`${fn}: labels.length (${labels.length}) must equal sampleIndices.length (${sampleIndices.length})`);
  }
  checkSampleIndices(fn, sampleIndices);
  const out = new Int32Array(labels);
  if (noise.kind === 'none') return out;
  const { flipProb, numClasses } = noise;
  for (let b = 0; b < labels.length; b++) {
    const y = labels[b];
    if (!(y >= 0 && y < numClasses)) {
      throw new RangeError(`${fn}: labels[${b}] must lie in [0, numClasses = ${numClasses}), got ${y}`);
    }
  }
  if (flipProb === 0) return out;
  const rng = new CounterRng(batch.seed, RngDomain.LABEL_NOISE);
  for (let b = 0; b < labels.length; b++) {
    const i = sampleIndices[b];
    if (rng.uniform(step, i, 0) < flipProb) {
      out[b] = (labels[b] + 1 + rng.randomInt(numClasses - 1, step, i)) % numClasses;
    }
  }
  return out;
}

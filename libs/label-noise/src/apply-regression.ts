import { CounterRng, RngDomain } from '@lnsgd/random';
import { checkNoise, checkSampleIndices, checkSeedStep } from './internal/check';
import type { RegressionNoise } from './label-noise';

/** A batch of real-valued labels and where it sits in the run. */
export interface RegressionBatch {
  /** B·outDim labels, sample-major: labels[b·outDim + j] is component j of sample b. */
  readonly labels: Float32Array;
  /** Label components per sample (default 1). */
  readonly outDim?: number;
  /** The global data-set index of each of the B samples. */
  readonly sampleIndices: ArrayLike<number>;
  /** The optimizer step k. */
  readonly step: number;
  /** The run's seed. */
  readonly seed: number;
}

/**
 * Algorithm 1's label perturbation for regression: returns a new array with
 * ỹ_{i,j} = y_{i,j} + ε_{k,i,j}. ε is a pure function of (seed, step k, global
 * sample index i, component j), drawn from the LABEL_NOISE stream at coordinates
 * (k, i, j), so it does not depend on the batch's order, on how it is split into
 * micro-batches, or on the number of workers. Computed in double, stored float32.
 *
 * @param noise a {@link RegressionNoise}.
 * @param batch labels, sample indices, step and seed.
 * @returns the noisy labels (the input is not modified).
 * @example applyRegressionNoise(rademacherNoise(1), { labels, sampleIndices, step, seed })
 */
export function applyRegressionNoise(noise: RegressionNoise, batch: RegressionBatch): Float32Array {
  const fn = 'applyRegressionNoise';
  checkNoise(fn, noise);
  checkSeedStep(fn, batch);
  const { labels, sampleIndices, step } = batch;
  const outDim = batch.outDim ?? 1;
  if (!Number.isInteger(outDim) || outDim < 1) {
    throw new RangeError(`${fn}: outDim must be an integer >= 1, got ${outDim}`);
  }
  if (labels.length !== sampleIndices.length * outDim) {
    throw new RangeError(`${fn}: labels.length (${labels.length}) must equal sampleIndices.length (${sampleIndices.length}) × outDim (${outDim})`);
  }
  checkSampleIndices(fn, sampleIndices);
  const out = new Float32Array(labels);
  if (noise.kind === 'none' || noise.sigma === 0) return out;
  const rng = new CounterRng(batch.seed, RngDomain.LABEL_NOISE);
  const sigma = noise.sigma;
  const gaussian = noise.kind === 'gaussian';
  for (let b = 0; b < sampleIndices.length; b++) {
    const i = sampleIndices[b];
    for (let j = 0; j < outDim; j++) {
      const eps = gaussian ? rng.normal(step, i, j) : rng.rademacher(step, i, j);
      out[b * outDim + j] = labels[b * outDim + j] + sigma * eps;
    }
  }
  return out;
}

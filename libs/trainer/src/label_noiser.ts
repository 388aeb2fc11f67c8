import { applyClassificationNoise, applyRegressionNoise, flipNoise, gaussianNoise, noNoise, rademacherNoise, type LabelNoise } from '@lnsgd/label-noise';
import type { Hyper } from './presets';

/** Replaces a batch's labels by their noisy versions for one step. */
export type LabelNoiser = (batch: {
  readonly labels: Float32Array | Int32Array;
  readonly sampleIndices: Int32Array;
  readonly step: number;
}) => Float32Array | Int32Array;

/**
 * Chooses the run's noise model from its hyper-parameters: σ noise (Rademacher or
 * Gaussian) for regression, label flips with probability p for classification.
 *
 * @param opts the task, the hyper-parameters and the number of classes.
 * @returns the noise model and a function applying it, keyed by (seed, step, sample).
 */
export function makeLabelNoiser(opts: { readonly task: 'regression' | 'classification'; readonly hyper: Hyper; readonly numClasses: number }): {
  readonly noise: LabelNoise;
  readonly apply: LabelNoiser;
} {
  const { task, hyper } = opts;
  const seed = hyper.seed;
  if (task === 'classification') {
    const noise = hyper.flipProb > 0 ? flipNoise({ flipProb: hyper.flipProb, numClasses: opts.numClasses }) : noNoise();
    return {
      noise,
      apply: ({ labels, sampleIndices, step }) => applyClassificationNoise(noise, { labels: asInt32('classification', labels), sampleIndices, step, seed }),
    };
  }
  const noise = hyper.sigma === 0 ? noNoise() : hyper.noise === 'gaussian' ? gaussianNoise(hyper.sigma) : rademacherNoise(hyper.sigma);
  return {
    noise,
    apply: ({ labels, sampleIndices, step }) => {
      const y = asFloat32('regression', labels);
      return applyRegressionNoise(noise, { labels: y, outDim: y.length / sampleIndices.length, sampleIndices, step, seed });
    },
  };
}

function asInt32(task: string, a: Float32Array | Int32Array): Int32Array {
  if (!(a instanceof Int32Array)) throw new TypeError(`makeLabelNoiser: ${task} labels must be an Int32Array`);
  return a;
}

function asFloat32(task: string, a: Float32Array | Int32Array): Float32Array {
  if (!(a instanceof Float32Array)) throw new TypeError(`makeLabelNoiser: ${task} labels must be a Float32Array`);
  return a;
}

import { checkFlip } from './internal/check';
import type { FlipNoise } from './label-noise';

/** Options of {@link flipNoise}. */
export interface FlipNoiseOptions {
  /** Probability p ∈ [0, 1] that a label is replaced (the paper's experiments: 0.2). */
  readonly flipProb: number;
  /** Number of classes C ≥ 2. */
  readonly numClasses: number;
}

/**
 * Label-flip noise for classification: each step, with probability p, a label is
 * replaced by a class drawn uniformly from the C − 1 other classes.
 *
 * @param opts p and C.
 * @example flipNoise({ flipProb: 0.2, numClasses: 10 })
 */
export function flipNoise(opts: FlipNoiseOptions): FlipNoise {
  checkFlip('flipNoise', opts);
  return { kind: 'flip', flipProb: opts.flipProb, numClasses: opts.numClasses };
}

import type { NoNoise } from './label-noise';

/**
 * No label noise (plain SGD), for baselines.
 *
 * @example applyRegressionNoise(noNoise(), batch) // a copy of batch.labels
 */
export function noNoise(): NoNoise {
  return { kind: 'none' };
}

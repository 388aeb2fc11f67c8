import { checkSigma } from './internal/check';
import type { GaussianNoise } from './label-noise';

/**
 * Gaussian label noise for regression: y + ε with a fresh ε ~ N(0, σ²) each step.
 * Same covariance as Rademacher noise, hence the same λ = ησ²/B.
 *
 * @param sigma the standard deviation σ ≥ 0.
 * @example gaussianNoise(0.1) // { kind: 'gaussian', sigma: 0.1 }
 */
export function gaussianNoise(sigma: number): GaussianNoise {
  checkSigma('gaussianNoise', sigma);
  return { kind: 'gaussian', sigma };
}

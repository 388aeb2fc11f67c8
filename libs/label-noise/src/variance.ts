import type { LabelNoise, RegressionNoise } from './label-noise';

/**
 * The per-component label-noise variance σ² = E[ε²] of a regression model, the σ²
 * in λ = ησ² / (B(1 − β)). 0 for no noise. Flip noise is not additive noise with a
 * scalar variance, so for it the answer is `undefined` (the paper's λ is stated for
 * regression).
 *
 * @param noise the model.
 * @example noiseVariance(rademacherNoise(0.5)) // 0.25
 */
export function noiseVariance(noise: RegressionNoise): number;
export function noiseVariance(noise: LabelNoise): number | undefined;
export function noiseVariance(noise: LabelNoise): number | undefined {
  switch (noise.kind) {
    case 'rademacher':
    case 'gaussian':
      return noise.sigma * noise.sigma;
    case 'none':
      return 0;
    case 'flip':
      return undefined;
  }
}

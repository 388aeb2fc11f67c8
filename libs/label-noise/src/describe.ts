import type { LabelNoise } from './label-noise';

/**
 * A short human-readable form of a noise model, for logs and run names.
 *
 * @param noise the model.
 * @example describeNoise(flipNoise({ flipProb: 0.2, numClasses: 10 })) // 'flip(p=0.2, C=10)'
 */
export function describeNoise(noise: LabelNoise): string {
  switch (noise.kind) {
    case 'rademacher':
      return `rademacher(σ=${noise.sigma})`;
    case 'gaussian':
      return `gaussian(σ=${noise.sigma})`;
    case 'flip':
      return `flip(p=${noise.flipProb}, C=${noise.numClasses})`;
    case 'none':
      return 'none';
  }
}

import { checkSigma } from './internal/check';
import type { RademacherNoise } from './label-noise';

/**
 * Rademacher label noise for regression, the paper's default: each step every
 * label is replaced by y + ε with a fresh ε ∈ {−σ, +σ} (Algorithm 1). E[ε] = 0 and
 * Var ε = σ², so λ = ησ²/B.
 *
 * @param sigma the noise scale σ ≥ 0.
 * @example rademacherNoise(0.5) // { kind: 'rademacher', sigma: 0.5 }
 */
export function rademacherNoise(sigma: number): RademacherNoise {
  checkSigma('rademacherNoise', sigma);
  return { kind: 'rademacher', sigma };
}

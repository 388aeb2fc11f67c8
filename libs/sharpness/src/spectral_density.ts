import type { SlqResult } from './slq';

/** Options of {@link spectralDensity}. */
export interface SpectralDensityOptions {
  /** Points t at which to evaluate the density. */
  readonly grid: ArrayLike<number>;
  /** Gaussian smoothing width σ > 0. */
  readonly sigma: number;
}

/**
 * The Gaussian-smoothed spectral density φ_σ(t) = (1/n) Σ_i N(t; λ_i, σ²) estimated from
 * SLQ (Ghorbani, Krishnan, Xiao 2019): the mean over probes of (‖v‖²/n) Σ_j w_j N(t; θ_j, σ²),
 * plus (1/n) N(t; θ_i, σ²) for each deflated Ritz value. Integrates to ≈ 1.
 *
 * @param result an {@link slq} result.
 * @param options grid and sigma.
 * @example spectralDensity(result, {grid: [0, 0.5, 1], sigma: 0.05})
 */
export function spectralDensity(result: SlqResult, options: SpectralDensityOptions): Float64Array {
  const { grid, sigma } = options;
  if (!(sigma > 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`spectralDensity: sigma must be a finite number > 0, got ${sigma}`);
  }
  if (result.probes.length === 0) throw new RangeError('spectralDensity: result has no probes');
  const norm = 1 / (sigma * Math.sqrt(2 * Math.PI));
  const gauss = (t: number, mu: number): number => norm * Math.exp(-0.5 * ((t - mu) / sigma) ** 2);
  const out = new Float64Array(grid.length);
  for (let g = 0; g < grid.length; g++) {
    const t = grid[g];
    let sampled = 0;
    for (const probe of result.probes) {
      let s = 0;
      for (let j = 0; j < probe.nodes.length; j++) s += probe.weights[j] * gauss(t, probe.nodes[j]);
      sampled += probe.scale * s;
    }
    let exact = 0;
    for (const theta of result.deflatedValues) exact += gauss(t, theta);
    out[g] = (sampled / result.probes.length + exact) / result.dim;
  }
  return out;
}

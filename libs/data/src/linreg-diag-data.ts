import type { DataSplit, Dataset } from './dataset';
import { checkInt } from './data-error';
import { fillNormal } from './internal/rng';

/** Options of {@link linregDiagData}. */
export interface LinregDiagDataOptions {
  /** Dimension and number of samples (default 1000). */
  readonly d?: number;
  /**
   * Seed of a teacher θ* ~ N(0, I/d); omitted, θ* = 0 and every label is 0, so the
   * loss is ½θᵀHθ and its minimizer is θ = 0.
   */
  readonly teacherSeed?: number;
}

/**
 * Linear regression whose Hessian is known exactly: n = d samples x_i = √i·e_i
 * (i = 1..d), so for the loss (1/n) Σ ½(⟨θ, x_i⟩ − y_i)² the Hessian is
 * XᵀX/n = diag(i/d): λ_max = 1, tr = (d+1)/2 (500.5 at d = 1000). Labels
 * y_i = ⟨θ*, x_i⟩ = √i·θ*_i.
 *
 * The test split is the training split (same object): the point of this set is the
 * spectrum, not generalisation. `meta.thetaStar` (Float32Array, d) and
 * `meta.hessianDiagonal` (Float64Array, i/d) are returned.
 *
 * @param options dimension and optional teacher seed
 * @example
 * const { train } = linregDiagData({ d: 1000 }); // H = diag(1/1000 … 1000/1000)
 */
export function linregDiagData(options: LinregDiagDataOptions = {}): DataSplit {
  const d = options.d ?? 1000;
  checkInt('linregDiagData: d', d, { min: 1 });
  const thetaStar = new Float32Array(d);
  if (options.teacherSeed !== undefined) {
    fillNormal(thetaStar, { seed: options.teacherSeed, domain: 'DATA_SYNTHESIS' }, { std: 1 / Math.sqrt(d) });
  }
  const x = new Float32Array(d * d);
  const y = new Float32Array(d);
  const hessianDiagonal = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const scale = Math.sqrt(i + 1);
    x[i * d + i] = scale;
    y[i] = scale * thetaStar[i];
    hessianDiagonal[i] = (i + 1) / d;
  }
  const train: Dataset = { name: 'linreg-diag', n: d, xShape: [d], x, y, yDim: 1, task: 'regression', numClasses: 0 };
  return { train, test: train, meta: { thetaStar, hessianDiagonal } };
}

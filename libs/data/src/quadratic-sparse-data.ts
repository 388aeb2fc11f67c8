import type { DataSplit, Dataset } from './dataset';
import { checkInt } from './data-error';
import { fillNormal, permutation } from './internal/rng';

/** Options of {@link quadraticSparseData}. */
export interface QuadraticSparseDataOptions {
  /** Input dimension (default 100). */
  readonly d?: number;
  /** Non-zeros of the teacher w* (default 5). */
  readonly k?: number;
  /** Training samples (default 40, fewer than d: many interpolating minimizers). */
  readonly n?: number;
  /** Test samples (default 1000). */
  readonly nTest?: number;
  readonly seed: number;
}

/**
 * Sparse linear regression for the quadratically parametrized model
 * f(x) = ⟨v⊙v, x⟩ (HaoChen, Wei, Lee, Ma 2020): x ~ N(0, I_d), y = ⟨w*, x⟩ where
 * w* has `k` ones at seeded positions and zeros elsewhere. Label-noise SGD from
 * v₀ = 1 recovers the sparse w*; plain SGD generalises poorly.
 *
 * `meta.wStar` (Float32Array, length d) and `meta.support` (sorted Int32Array, length k).
 *
 * @param options sizes and seed
 * @example
 * const { train, meta } = quadraticSparseData({ seed: 1 }); // d 100, k 5, n 40
 */
export function quadraticSparseData(options: QuadraticSparseDataOptions): DataSplit {
  const d = options.d ?? 100;
  const k = options.k ?? 5;
  const n = options.n ?? 40;
  const nTest = options.nTest ?? 1000;
  checkInt('quadraticSparseData: d', d, { min: 1 });
  checkInt('quadraticSparseData: k', k, { min: 0, max: d });
  checkInt('quadraticSparseData: n', n, { min: 1 });
  checkInt('quadraticSparseData: nTest', nTest, { min: 1 });
  const support = permutation(d, { seed: options.seed, domain: 'DATA_SYNTHESIS', stream: 0 }).slice(0, k).sort();
  const wStar = new Float32Array(d);
  for (const j of support) wStar[j] = 1;
  const make = (name: string, count: number, stream: number): Dataset => {
    const x = new Float32Array(count * d);
    fillNormal(x, { seed: options.seed, domain: 'DATA_SYNTHESIS', stream });
    const y = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      let s = 0;
      for (const j of support) s += x[i * d + j];
      y[i] = s;
    }
    return { name, n: count, xShape: [d], x, y, yDim: 1, task: 'regression', numClasses: 0 };
  };
  return {
    train: make('quadratic-sparse/train', n, 1),
    test: make('quadratic-sparse/test', nTest, 2),
    meta: { wStar, support },
  };
}

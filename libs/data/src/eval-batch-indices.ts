import { checkInt } from './data-error';
import { permutation } from './internal/rng';

/** Options of {@link evalBatchIndices}. */
export interface EvalBatchIndicesOptions {
  readonly seed: number;
  /** Data set size. */
  readonly n: number;
  /** Subset size, 1 ≤ size ≤ n. */
  readonly size: number;
}

/**
 * A fixed evaluation subset: `size` distinct indices of 0..n−1 chosen from the
 * seed alone (its own random stream, independent of the training permutation),
 * sorted ascending for memory locality. Sharpness estimates computed on the same
 * subset at different steps are comparable.
 *
 * @param options seed, n and size
 * @example evalBatchIndices({ seed: 1, n: 60000, size: 1024 })
 */
export function evalBatchIndices(options: EvalBatchIndicesOptions): Int32Array {
  checkInt('evalBatchIndices: n', options.n, { min: 1 });
  checkInt('evalBatchIndices: size', options.size, { min: 1, max: options.n });
  return permutation(options.n, { seed: options.seed, domain: 'EVAL_BATCH' }).slice(0, options.size).sort();
}

import { checkInt, DataError } from './data-error';
import { permutation } from './internal/rng';
import { microBatchOffset, microBatchSizes } from './micro-batch-sizes';

/** Options of {@link batchIndices}. */
export interface BatchIndicesOptions {
  /** Run seed. */
  readonly seed: number;
  /** Global step k ≥ 0 (counts across epochs). */
  readonly step: number;
  /** Global batch B, 1 ≤ B ≤ n. */
  readonly globalBatch: number;
  /** Data set size n. */
  readonly n: number;
  /** This worker's rank r in [0, worldSize) (default 0). */
  readonly rank?: number;
  /** Number of workers N (default 1). */
  readonly worldSize?: number;
}

/**
 * Sample indices of step k for rank r, like PyTorch's DistributedSampler but with
 * the split taken per batch, so a step sees the same samples for any N:
 *
 * - stepsPerEpoch = ⌊n / B⌋ (drop-last: the n mod B samples left at the end of each
 *   epoch's permutation are skipped that epoch);
 * - epoch e = ⌊k / stepsPerEpoch⌋ draws a fresh permutation π_e of 0..n−1 from
 *   (seed, e);
 * - the global batch of step k is π_e[j·B, (j+1)·B) with j = k mod stepsPerEpoch;
 * - rank r takes the r-th contiguous block of it, sized by {@link microBatchSizes}.
 *
 * The last few epochs' permutations are cached, so calling this every step costs
 * O(B) after the first call of an epoch (O(n)). B > n is an error: a drop-last
 * epoch would be empty.
 *
 * @param options seed, step, sizes and rank
 * @returns a fresh Int32Array the caller owns
 * @example
 * batchIndices({ seed: 1, step: 0, globalBatch: 256, n: 60000, rank: 1, worldSize: 4 }) // 64 indices
 */
export function batchIndices(options: BatchIndicesOptions): Int32Array {
  const { seed, step, globalBatch, n } = options;
  const rank = options.rank ?? 0;
  const worldSize = options.worldSize ?? 1;
  checkInt('batchIndices: n', n, { min: 1 });
  checkInt('batchIndices: step', step, { min: 0 });
  checkInt('batchIndices: worldSize', worldSize, { min: 1 });
  checkInt('batchIndices: rank', rank, { min: 0, max: worldSize - 1 });
  checkInt('batchIndices: globalBatch', globalBatch, { min: 1 });
  if (globalBatch > n) {
    throw new DataError(
      'INVALID_ARGUMENT',
      `batchIndices: globalBatch ${globalBatch} exceeds the data set size n = ${n}; with drop-last an epoch would hold no batch (use globalBatch <= n)`,
    );
  }
  const stepsPerEpoch = Math.floor(n / globalBatch);
  const epoch = Math.floor(step / stepsPerEpoch);
  const perm = epochPermutation({ seed, n, epoch });
  const start = (step % stepsPerEpoch) * globalBatch + microBatchOffset(globalBatch, worldSize, rank);
  const size = microBatchSizes(globalBatch, worldSize)[rank];
  return perm.slice(start, start + size);
}

/** Options of {@link epochPermutation}. */
export interface EpochPermutationOptions {
  readonly seed: number;
  readonly n: number;
  readonly epoch: number;
}

// A few entries so that interleaved callers (a training and an evaluation sampler,
// two runs in one test process) do not evict each other every step.
const CACHE_SIZE = 4;
const cache: { key: string; perm: Int32Array }[] = [];

/**
 * The permutation of 0..n−1 that {@link batchIndices} uses for an epoch. The
 * returned array is shared with a cache: do not modify it.
 *
 * @param options seed, n and epoch
 * @example epochPermutation({ seed: 1, n: 10, epoch: 0 })
 */
export function epochPermutation(options: EpochPermutationOptions): Readonly<Int32Array> {
  const { seed, n, epoch } = options;
  const key = `${seed}/${n}/${epoch}`;
  const hit = cache.findIndex((e) => e.key === key);
  if (hit >= 0) {
    const [entry] = cache.splice(hit, 1);
    cache.unshift(entry);
    return entry.perm;
  }
  const perm = permutation(n, { seed, domain: 'DATA_PERMUTATION', stream: epoch });
  cache.unshift({ key, perm });
  if (cache.length > CACHE_SIZE) cache.pop();
  return perm;
}

import { checkInt } from './data-error';

/**
 * Splits a global batch of B samples over N ranks: sizes differ by at most one
 * and sum to B; the first B mod N ranks take the extra sample (as in
 * `batchIndices`, which hands rank r the r-th contiguous block of these sizes).
 *
 * @param globalBatch B ≥ 1
 * @param worldSize N ≥ 1 (N > B leaves some ranks with 0 samples)
 * @example microBatchSizes(10, 4) // Int32Array [3, 3, 2, 2]
 */
export function microBatchSizes(globalBatch: number, worldSize: number): Int32Array {
  checkInt('microBatchSizes: globalBatch', globalBatch, { min: 1 });
  checkInt('microBatchSizes: worldSize', worldSize, { min: 1 });
  const sizes = new Int32Array(worldSize);
  const base = Math.floor(globalBatch / worldSize);
  const extra = globalBatch % worldSize;
  for (let r = 0; r < worldSize; r++) sizes[r] = base + (r < extra ? 1 : 0);
  return sizes;
}

/**
 * Offset of rank r's block inside the global batch: the sum of the
 * {@link microBatchSizes} of ranks 0..r−1 (arguments are not re-checked).
 *
 * @param globalBatch B
 * @param worldSize N
 * @param rank r in [0, N)
 * @example microBatchOffset(10, 4, 2) // 6
 */
export function microBatchOffset(globalBatch: number, worldSize: number, rank: number): number {
  const base = Math.floor(globalBatch / worldSize);
  const extra = globalBatch % worldSize;
  return rank * base + Math.min(rank, extra);
}

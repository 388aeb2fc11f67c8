import type { Dataset } from './dataset';
import { sampleSize } from './dataset';
import { DataError } from './data-error';

/** The rows of a batch, laid out like a Dataset's `x` and `y`. */
export interface Batch {
  readonly x: Float32Array;
  readonly y: Float32Array | Int32Array;
}

/**
 * Copies the samples `indices` of `ds` into contiguous arrays (no per-sample
 * allocation). Pass `out` (from a previous call with as many indices) to reuse its
 * buffers on the hot path.
 *
 * @param ds source data set
 * @param indices sample ids in [0, ds.n)
 * @param out optional buffers of the right length to fill instead of allocating
 * @example
 * const { x, y } = gatherBatch(train, batchIndices({ seed, step, globalBatch: 64, n: train.n }));
 */
export function gatherBatch(ds: Dataset, indices: ArrayLike<number>, out?: Batch): Batch {
  const rowSize = sampleSize(ds);
  const yDim = ds.yDim;
  const b = indices.length;
  const x = out?.x ?? new Float32Array(b * rowSize);
  const y = out?.y ?? (ds.y instanceof Int32Array ? new Int32Array(b * yDim) : new Float32Array(b * yDim));
  if (x.length !== b * rowSize || y.length !== b * yDim || y.constructor !== ds.y.constructor) {
    throw new DataError(
      'INVALID_ARGUMENT',
      `gatherBatch: out buffers must be x: Float32Array(${b * rowSize}), y: ${ds.y.constructor.name}(${b * yDim}); got x(${x.length}), y: ${y.constructor.name}(${y.length})`,
    );
  }
  const srcX = ds.x;
  const srcY = ds.y;
  for (let j = 0; j < b; j++) {
    const i = indices[j];
    if (!(i >= 0 && i < ds.n) || !Number.isInteger(i)) {
      throw new DataError('INVALID_ARGUMENT', `gatherBatch: indices[${j}] = ${i} is outside [0, ${ds.n}) of ${ds.name}`);
    }
    const src = i * rowSize;
    const dst = j * rowSize;
    for (let t = 0; t < rowSize; t++) x[dst + t] = srcX[src + t];
    for (let t = 0; t < yDim; t++) y[j * yDim + t] = srcY[i * yDim + t];
  }
  return { x, y };
}

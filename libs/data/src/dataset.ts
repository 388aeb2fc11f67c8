/** Whether targets are real vectors (regression) or class ids (classification). */
export type Task = 'regression' | 'classification';

/**
 * An in-memory data set, row-major: sample i's features are
 * `x.subarray(i * prod(xShape), (i + 1) * prod(xShape))`.
 *
 * @example
 * const { train } = uvToyData({ n: 64, seed: 1 });
 * train.x.length === train.n * 1; // xShape [1]
 */
export interface Dataset {
  /** Human-readable name, e.g. `fashion-mnist/train`. */
  readonly name: string;
  /** Number of samples. */
  readonly n: number;
  /** Shape of one sample, e.g. `[784]`, `[28, 28, 1]` or `[32, 32, 3]` (NHWC without the N). */
  readonly xShape: readonly number[];
  /** Features, `n * prod(xShape)` floats. */
  readonly x: Float32Array;
  /** Targets: `n * yDim` floats for regression, `n` class ids for classification. */
  readonly y: Float32Array | Int32Array;
  /** Floats per sample for regression; 1 for classification. */
  readonly yDim: number;
  readonly task: Task;
  /** Number of classes; 0 for regression. */
  readonly numClasses: number;
}

/** A train/test pair plus generator facts (teacher weights, moments) a caller may need. */
export interface DataSplit {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/**
 * Number of floats in one sample of `ds` (the product of `xShape`).
 * @param ds the data set
 * @example sampleSize(mnistTrain) === 784
 */
export function sampleSize(ds: Pick<Dataset, 'xShape'>): number {
  let size = 1;
  for (const d of ds.xShape) size *= d;
  return size;
}

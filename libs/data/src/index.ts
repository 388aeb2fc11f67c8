export type { Dataset, DataSplit, Task } from './dataset';
export { sampleSize } from './dataset';
export { DataError, DATA_ERROR_CODES } from './data-error';
export type { DataErrorCode } from './data-error';

export { uvToyData } from './uv-toy-data';
export type { UvToyDataOptions } from './uv-toy-data';
export { quadraticSparseData } from './quadratic-sparse-data';
export type { QuadraticSparseDataOptions } from './quadratic-sparse-data';
export { linregDiagData } from './linreg-diag-data';
export type { LinregDiagDataOptions } from './linreg-diag-data';
export { teacherClassificationData } from './teacher-classification-data';
export type { TeacherClassificationDataOptions } from './teacher-classification-data';

export { parseIdx, readIdx } from './idx';
export type { IdxArray } from './idx';
export { loadIdxPair, loadMnistFormat, loadMnist, loadFashionMnist, FASHION_MNIST_DEFAULT_DIR } from './mnist';
export type { IdxPairOptions, MnistFormatOptions } from './mnist';
export { parseCifar10, loadCifar10, CIFAR10_CLASSES } from './cifar10';

export { batchIndices, epochPermutation } from './batch-indices';
export type { BatchIndicesOptions, EpochPermutationOptions } from './batch-indices';
export { microBatchSizes, microBatchOffset } from './micro-batch-sizes';
export { gatherBatch } from './gather-batch';
export type { Batch } from './gather-batch';
export { evalBatchIndices } from './eval-batch-indices';
export type { EvalBatchIndicesOptions } from './eval-batch-indices';
export { withRandomLabels } from './random-labels';

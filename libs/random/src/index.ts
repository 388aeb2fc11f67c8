export { philox4x32 } from './philox';
export type { Uint32x4 } from './philox';
export { RngDomain } from './domain';
export { deriveKey } from './derive-key';
export { CounterRng } from './counter-rng';
export type { FillOptions, NormalFillOptions, RademacherFillOptions, UniformFillOptions } from './counter-rng';
export { permutation } from './permutation';
export type { PermutationOptions } from './permutation';
// Sample statistics for the statistical tests of every lib that draws from this one.
export { moments, chiSquareUniform, correlation } from './sample_statistics';

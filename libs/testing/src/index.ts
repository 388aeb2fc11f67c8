export { inCi, onPath, prerequisite, prerequisiteReport } from './prerequisite';
export type { SkippableTest } from './prerequisite';
export { xorshift32 } from './xorshift';

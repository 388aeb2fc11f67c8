/**
 * A learning-rate schedule: a pure function from the 0-based step count k (the
 * number of updates applied so far) to η_k.
 */
export type Schedule = (step: number) => number;

/** Throws unless `step` is a non-negative integer. */
export function checkStep(fn: string, step: number): void {
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(`${fn}: step must be an integer >= 0, got ${step}`);
  }
}

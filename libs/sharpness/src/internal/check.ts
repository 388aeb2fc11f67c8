import type { Hvp } from '../hvp';

/**
 * Throws unless each value of `args` is an integer ≥ `min`; the message names the
 * function and the argument (the key), e.g. `checkInteger('lanczos', { steps })`.
 */
export function checkInteger(fn: string, args: Readonly<Record<string, number>>, min = 1): void {
  for (const [name, value] of Object.entries(args)) {
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(`${fn}: ${name} must be an integer >= ${min}, got ${value}`);
    }
  }
}

/** An HVP that checks output length and finiteness and counts its calls. */
export interface CountedHvp {
  readonly apply: (v: Float64Array) => Float64Array;
  readonly count: () => number;
  /** Counts and checks one product computed elsewhere (e.g. by a block HVP). */
  readonly check: (out: Float64Array) => Float64Array;
}

/**
 * Wraps `hvp` so that each call is counted and a wrong-length or non-finite result
 * throws (an estimator must never turn a broken HVP into a silent NaN).
 */
export function countedHvp(fn: string, hvp: Hvp, dim: number): CountedHvp {
  let calls = 0;
  const check = (out: Float64Array): Float64Array => {
    calls++;
    if (out.length !== dim) {
      throw new RangeError(`${fn}: hvp returned length ${out.length}, expected dim = ${dim}`);
    }
    for (let i = 0; i < dim; i++) {
      if (!Number.isFinite(out[i])) {
        throw new RangeError(`${fn}: hvp returned a non-finite entry ${out[i]} at index ${i}`);
      }
    }
    return out;
  };
  return { apply: (v) => check(hvp(v)), check, count: () => calls };
}

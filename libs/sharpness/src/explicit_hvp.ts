import type { Hvp } from './hvp';

/**
 * The HVP of an explicit symmetric n×n matrix (row-major, float64): ground truth for
 * tests and benches.
 *
 * @param matrix n·n entries, row-major, symmetric.
 * @param n the dimension.
 * @example explicitHvp(new Float64Array([2, 1, 1, 3]), 2)(new Float64Array([1, 0])) // [2, 1]
 */
export function explicitHvp(matrix: Float64Array, n: number): Hvp {
  if (!Number.isInteger(n) || n < 1 || matrix.length !== n * n) {
    throw new RangeError(`explicitHvp: matrix has length ${matrix.length}, expected n·n with n = ${n}`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const a = matrix[i * n + j];
      const b = matrix[j * n + i];
      if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))) {
        throw new RangeError(`explicitHvp: matrix is not symmetric at (${i}, ${j}): ${a} vs ${b}`);
      }
    }
  }
  return (v: Float64Array): Float64Array => {
    if (v.length !== n) throw new RangeError(`explicitHvp: v has length ${v.length}, expected ${n}`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += matrix[row + j] * v[j];
      out[i] = s;
    }
    return out;
  };
}

/**
 * Index of the first NaN or ±Infinity in `a`, or -1 when every value is finite.
 * Used to refuse a gradient before it can touch the parameters.
 *
 * @param a the values.
 * @example firstNonFinite(new Float32Array([1, NaN])) // 1
 */
export function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) {
    // x - x is 0 for finite x and NaN for NaN/±Inf: one comparison per element.
    const x = a[i];
    if (x - x !== 0) return i;
  }
  return -1;
}

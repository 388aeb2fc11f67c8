/**
 * Allocation-free Philox4x32-10 core shared by every draw in this library.
 *
 * JS numbers are doubles, so the 32×32→64-bit product that Philox needs is not
 * exact. The low word comes from Math.imul; the high word is assembled from
 * 16-bit partial products, each of which is < 2^32 and therefore exact.
 */

// Random123's multipliers and Weyl key increments (philox.h, PHILOX_M4x32_*, PHILOX_W32_*).
const M0_HI = 0xd251;
const M0_LO = 0x1f53;
const M0 = 0xd2511f53;
const M1_HI = 0xcd9e;
const M1_LO = 0x8d57;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const ROUNDS = 10;

/** High 32 bits of the exact product x·m, with m given as 16-bit halves. */
function mulhi(x: number, mHi: number, mLo: number): number {
  const xHi = x >>> 16;
  const xLo = x & 0xffff;
  const ll = xLo * mLo;
  const hl = xHi * mLo;
  const lh = xLo * mHi;
  // Carry out of bit 32 from the three terms that straddle it.
  const carry = ((ll >>> 16) + (hl & 0xffff) + (lh & 0xffff)) >>> 16;
  return (xHi * mHi + (hl >>> 16) + (lh >>> 16) + carry) >>> 0;
}

/**
 * Philox4x32-10 of the counter in `input[0..3]` under the key in `input[4..5]`;
 * writes the four output words to `out[0..3]`. `input` and `out` may alias.
 */
export function philoxBlock(input: Uint32Array, out: Uint32Array): void {
  let x0 = input[0];
  let x1 = input[1];
  let x2 = input[2];
  let x3 = input[3];
  let k0 = input[4];
  let k1 = input[5];
  for (let r = 0; r < ROUNDS; r++) {
    if (r > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(x0, M0_HI, M0_LO);
    const lo0 = Math.imul(x0, M0) >>> 0;
    const hi1 = mulhi(x2, M1_HI, M1_LO);
    const lo1 = Math.imul(x2, M1) >>> 0;
    x0 = (hi1 ^ x1 ^ k0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ k1) >>> 0;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

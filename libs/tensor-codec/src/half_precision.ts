import { CodecError } from './codec_error';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Rounds float32 values to IEEE-754 binary16 (round to nearest even; overflow → ±Inf,
 * NaN kept) and returns their little-endian bytes: half the bytes of float32, for
 * gradients that tolerate ~3 significant digits.
 *
 * @param a the values.
 * @example decodeFloat16(encodeFloat16(new Float32Array([1.5])))[0] // 1.5
 */
export function encodeFloat16(a: Float32Array): Uint8Array {
  const out = new Uint8Array(a.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setUint16(2 * i, toHalfBits(a[i]), true);
  return out;
}

/**
 * Decodes little-endian binary16 bytes to float32 (exact: every half is a float32).
 *
 * @param bytes 2·n bytes.
 * @throws CodecError BAD_LENGTH for an odd byte count.
 */
export function decodeFloat16(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 2 !== 0) throw new CodecError('BAD_LENGTH', `decodeFloat16: bytes has ${bytes.byteLength} bytes, not a multiple of 2`);
  const n = bytes.byteLength / 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = fromHalfBits(view.getUint16(2 * i, true));
  return out;
}

/**
 * Rounds float32 values to bfloat16 (the upper 16 bits, round to nearest even; NaN
 * kept quiet) and returns their little-endian bytes: float32's range, 8 bits of mantissa.
 *
 * @param a the values.
 * @example decodeBfloat16(encodeBfloat16(new Float32Array([2])))[0] // 2
 */
export function encodeBfloat16(a: Float32Array): Uint8Array {
  const out = new Uint8Array(a.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    f32[0] = a[i];
    const bits = u32[0];
    const upper = Number.isNaN(a[i]) ? (bits >>> 16) | 0x40 : (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16;
    view.setUint16(2 * i, upper & 0xffff, true);
  }
  return out;
}

/**
 * Decodes little-endian bfloat16 bytes to float32 (exact).
 *
 * @param bytes 2·n bytes.
 * @throws CodecError BAD_LENGTH for an odd byte count.
 */
export function decodeBfloat16(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 2 !== 0) throw new CodecError('BAD_LENGTH', `decodeBfloat16: bytes has ${bytes.byteLength} bytes, not a multiple of 2`);
  const n = bytes.byteLength / 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
  return out;
}

function toHalfBits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    // Subnormal half: shift the implicit-1 mantissa, rounding to nearest even.
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rounded = (m + half - 1 + ((m >>> shift) & 1)) >>> shift;
    return sign | rounded;
  }
  const rounded = mant + 0xfff + ((mant >>> 13) & 1);
  if (rounded & 0x800000) {
    // Mantissa overflowed into the exponent.
    return e + 1 >= 0x1f ? sign | 0x7c00 : sign | ((e + 1) << 10);
  }
  return sign | (e << 10) | (rounded >>> 13);
}

function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Element types a gradient may travel in (the proto DType's names, lower case). */
export const WIRE_DTYPES = ['float32', 'bfloat16', 'float16'] as const;
export type WireDtype = (typeof WIRE_DTYPES)[number];

/** Bytes per element of each wire dtype. */
export const WIRE_DTYPE_BYTES: Readonly<Record<WireDtype, number>> = { float32: 4, bfloat16: 2, float16: 2 };

/**
 * Decodes 2-byte wire elements into `out` (float32, exact), without allocating: the
 * receive path's form of {@link decodeBfloat16} / {@link decodeFloat16}.
 *
 * @param dtype 'bfloat16' or 'float16'.
 * @param bytes exactly 2·out.length bytes, little-endian.
 * @param out the receive buffer.
 * @throws CodecError BAD_LENGTH when the byte count is not 2·out.length.
 */
export function decodeHalfInto(dtype: 'bfloat16' | 'float16', bytes: Uint8Array, out: Float32Array): void {
  if (bytes.byteLength !== 2 * out.length) {
    throw new CodecError('BAD_LENGTH', `decodeHalfInto: ${dtype} frame has ${bytes.byteLength} bytes, expected ${2 * out.length} for ${out.length} elements`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'bfloat16') {
    const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
    for (let i = 0; i < out.length; i++) bits[i] = view.getUint16(2 * i, true) << 16;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = fromHalfBits(view.getUint16(2 * i, true));
  }
}

import { CodecError } from './codec_error';
import { HOST_LITTLE_ENDIAN } from './float32_view';

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
  const bits = new Int32Array(a.buffer, a.byteOffset, a.length);
  if (HOST_LITTLE_ENDIAN) {
    const h = new Uint16Array(out.buffer);
    for (let i = 0; i < a.length; i++) h[i] = halfOfBits(bits[i]);
  } else {
    const view = new DataView(out.buffer);
    for (let i = 0; i < a.length; i++) view.setUint16(2 * i, halfOfBits(bits[i]), true);
  }
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
  const out = new Float32Array(bytes.byteLength / 2);
  decodeHalfInto('float16', bytes, out);
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
  // Int32 views keep the arithmetic in small integers (uint32 values past 2^31 would be doubles).
  const bits = new Int32Array(a.buffer, a.byteOffset, a.length);
  if (HOST_LITTLE_ENDIAN) {
    const h = new Uint16Array(out.buffer);
    for (let i = 0; i < a.length; i++) h[i] = bfloat16OfBits(bits[i]);
  } else {
    const view = new DataView(out.buffer);
    for (let i = 0; i < a.length; i++) view.setUint16(2 * i, bfloat16OfBits(bits[i]), true);
  }
  return out;
}

/** bfloat16 bits of a float32 given by its bits: NaN stays a quiet NaN, the rest round to nearest even. */
function bfloat16OfBits(b: number): number {
  const upper = b >>> 16;
  if ((b & 0x7fffffff) > 0x7f800000) return upper | 0x40;
  return (upper + (((b & 0xffff) + 0x7fff + (upper & 1)) >>> 16)) & 0xffff;
}

/**
 * Decodes little-endian bfloat16 bytes to float32 (exact).
 *
 * @param bytes 2·n bytes.
 * @throws CodecError BAD_LENGTH for an odd byte count.
 */
export function decodeBfloat16(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 2 !== 0) throw new CodecError('BAD_LENGTH', `decodeBfloat16: bytes has ${bytes.byteLength} bytes, not a multiple of 2`);
  const out = new Float32Array(bytes.byteLength / 2);
  decodeHalfInto('bfloat16', bytes, out);
  return out;
}

/**
 * binary16 bits of a float32 given by its bits, round to nearest even, all in integer
 * arithmetic (F. Giesen's float_to_half_fast3_rtne); subnormals via one float32 add.
 */
function halfOfBits(b: number): number {
  const sign = (b >>> 16) & 0x8000;
  const f = b & 0x7fffffff;
  // ≥ 2^16 (and Inf, NaN): ±Inf, or a quiet NaN. [65520, 2^16) carries into Inf below.
  if (f >= 0x47800000) return sign | (f > 0x7f800000 ? 0x7e00 : 0x7c00);
  if (f < 0x38800000) {
    // Below 2^-14: adding 0.5 lines the subnormal's units (2^-24) up with float32's last bit, and the float32 add rounds to nearest even.
    u32[0] = f;
    f32[0] = f32[0] + 0.5;
    return sign | (u32[0] - 0x3f000000);
  }
  return sign | ((f - 0x38000000 + 0xfff + ((f >>> 13) & 1)) >>> 13);
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
  const n = out.length;
  // Aligned bytes on a little-endian host are read as 16-bit words in place; others through a DataView.
  const h = HOST_LITTLE_ENDIAN && bytes.byteOffset % 2 === 0 ? new Uint16Array(bytes.buffer, bytes.byteOffset, n) : undefined;
  const view = h === undefined ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
  const word = (i: number): number => (h !== undefined ? h[i] : (view as DataView).getUint16(2 * i, true));
  if (dtype === 'bfloat16') {
    const bits = new Uint32Array(out.buffer, out.byteOffset, n);
    for (let i = 0; i < n; i++) bits[i] = word(i) << 16;
  } else {
    const table = halfTable();
    for (let i = 0; i < n; i++) out[i] = table[word(i)];
  }
}

let HALF_TABLE: Float32Array | undefined;

/** float32 value of every binary16 bit pattern (256 KiB, built on first use): decoding is one load. */
function halfTable(): Float32Array {
  if (HALF_TABLE === undefined) {
    HALF_TABLE = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) HALF_TABLE[i] = fromHalfBits(i);
  }
  return HALF_TABLE;
}

import { CodecError } from './codec_error';

/** Whether this host stores numbers little-endian (the wire order). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** A Float32Array read from bytes, and whether getting it needed a copy. */
export interface Float32ViewResult {
  readonly array: Float32Array;
  /** True when the bytes were misaligned (or the host big-endian) and had to be copied. */
  readonly copied: boolean;
}

/**
 * Reads little-endian float32 bytes as a Float32Array **without copying** when the
 * bytes start on a 4-byte boundary (ZeroMQ frames and Node Buffers of 4 KiB and
 * more normally do); copies only when they do not. The view shares memory with
 * `bytes`: keep the frame alive and unmodified while you use it.
 *
 * @param bytes raw frame bytes.
 * @param expectedLength element count the caller requires (optional).
 * @throws CodecError BAD_LENGTH when the byte length is not 4·expectedLength (or not a multiple of 4).
 * @example float32View(frame, 1024).array
 */
export function float32View(bytes: Uint8Array, expectedLength?: number): Float32ViewResult {
  if (bytes.byteLength % 4 !== 0 || (expectedLength !== undefined && bytes.byteLength !== expectedLength * 4)) {
    throw new CodecError(
      'BAD_LENGTH',
      `float32View: bytes has ${bytes.byteLength} bytes, expected ${expectedLength === undefined ? 'a multiple of 4' : `${expectedLength * 4} (${expectedLength} float32)`}`,
    );
  }
  const n = bytes.byteLength / 4;
  if (HOST_LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    return { array: new Float32Array(bytes.buffer, bytes.byteOffset, n), copied: false };
  }
  const out = new Float32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  return { array: out, copied: true };
}

/**
 * The little-endian bytes of a Float32Array, as a view (no copy) on little-endian
 * hosts; a byte-swapped copy elsewhere.
 *
 * @param a the array.
 * @example float32Bytes(new Float32Array([1])).byteLength // 4
 */
export function float32Bytes(a: Float32Array): Uint8Array {
  if (HOST_LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat32(4 * i, a[i], true);
  return out;
}

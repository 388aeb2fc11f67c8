import { crc32 as zlibCrc32 } from 'node:zlib';
import { CodecError } from './codec_error';

/**
 * CRC-32 (zlib's polynomial) of some bytes, computed natively by zlib: several GB/s,
 * so checking every gradient frame costs little next to sending it.
 *
 * @param bytes the data.
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}

/**
 * Throws unless `bytes` has the CRC-32 `expected`.
 *
 * @param bytes the data.
 * @param expected the checksum that travelled with it.
 * @param what names the data in the error, e.g. 'push from rank 1'.
 * @throws CodecError CHECKSUM_MISMATCH naming both checksums.
 */
export function verifyCrc32(bytes: Uint8Array, expected: number, what: string): void {
  const got = crc32(bytes);
  if (got !== expected >>> 0) {
    throw new CodecError('CHECKSUM_MISMATCH', `verifyCrc32: ${what}: CRC-32 of ${bytes.byteLength} bytes is ${hex(got)}, expected ${hex(expected)}`);
  }
}

function hex(x: number): string {
  return `0x${(x >>> 0).toString(16).padStart(8, '0')}`;
}

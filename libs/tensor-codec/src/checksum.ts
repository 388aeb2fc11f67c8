import { crc32 as zlibCrc32 } from 'node:zlib';
import { CodecError } from './codec_error';

/** Which implementation computes {@link crc32} in this process. */
export type Crc32Implementation = 'node-rs' | 'zlib';

type Crc32Fn = (bytes: Uint8Array) => number;

/**
 * @node-rs/crc32 (crc32fast, PCLMULQDQ folding): the same CRC-32 as zlib's, at about
 * 14 GB/s against node:zlib's 6 on these machines (docs/benchmarks.md, "exchange").
 * Its prebuilt binary is an optional dependency per platform, so a machine without one
 * falls back to zlib: same values, only slower.
 */
function loadNative(): Crc32Fn | undefined {
  try {
    // A synchronous optional load: an import would make a missing binary fatal.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('@node-rs/crc32') as { crc32: (input: Uint8Array, initialState?: number) => number };
    const fn: Crc32Fn = (bytes) => mod.crc32(bytes);
    // A broken build that loads but computes something else must not become the checksum.
    return fn(CHECK_INPUT) === CHECK_VALUE ? fn : undefined;
  } catch {
    return undefined;
  }
}

/** The standard CRC-32 check: '123456789' → 0xcbf43926. */
const CHECK_INPUT = new TextEncoder().encode('123456789');
const CHECK_VALUE = 0xcbf43926;

const native = process.env['LNSGD_CRC32'] === 'zlib' ? undefined : loadNative();

/** The implementation {@link crc32} uses here ('zlib' where LNSGD_CRC32=zlib or no native binary loads). */
export const CRC32_IMPLEMENTATION: Crc32Implementation = native === undefined ? 'zlib' : 'node-rs';

/**
 * CRC-32 (zlib's polynomial) of some bytes, computed natively: several GB/s, so
 * checking every gradient frame costs little next to sending it.
 *
 * @param bytes the data.
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(bytes: Uint8Array): number {
  return (native === undefined ? zlibCrc32(bytes) : native(bytes)) >>> 0;
}

/** CRC-32 by node:zlib alone, whatever {@link crc32} uses: the reference the native one is tested against. */
export function zlibCrc32Of(bytes: Uint8Array): number {
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

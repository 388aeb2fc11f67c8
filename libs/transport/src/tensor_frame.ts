import { crc32, float32Bytes, float32View, CodecError } from '@lnsgd/tensor-codec';
import { pb, pbTypes } from './proto';
import { TransportError } from './transport_error';

/** Options of {@link float32Frame}. */
export interface Float32FrameOptions {
  /** First key the values cover. */
  readonly offset: number;
  /** Attach a CRC-32 of the bytes (default true). */
  readonly checksum?: boolean;
}

/**
 * Describes a Float32Array as a raw data frame: the TensorFrame header and the bytes
 * (a view of `values`, not a copy — do not modify `values` until the send resolves).
 *
 * @param values the tensor.
 * @param options offset and checksum.
 */
export function float32Frame(values: Float32Array, options: Float32FrameOptions): { header: pbTypes.TensorFrame.$Properties; bytes: Uint8Array } {
  const bytes = float32Bytes(values);
  const withSum = options.checksum ?? true;
  return {
    header: {
      dtype: pb.DType.FLOAT32,
      offset: options.offset,
      length: values.length,
      checksumKind: withSum ? pb.ChecksumKind.CRC32 : pb.ChecksumKind.CHECKSUM_NONE,
      checksum: withSum ? crc32(bytes) : 0,
    },
    bytes,
  };
}

/** What {@link readFloat32Frame} requires of a frame. */
export interface ExpectedFrame {
  readonly offset: number;
  readonly length: number;
  /** Names the data in errors, e.g. 'push from rank 1'. */
  readonly what: string;
}

/**
 * Checks a received frame against its header and the expected key range, verifies
 * its checksum, and returns the values — viewed in place when aligned.
 *
 * @param header the TensorFrame from the Envelope (may be missing).
 * @param bytes the raw frame (may be missing).
 * @param expected key range and a name for errors.
 * @throws TransportError BAD_SHAPE or CHECKSUM_MISMATCH naming the mismatch.
 */
export function readFloat32Frame(header: pbTypes.ITensorFrame | null | undefined, bytes: Buffer | undefined, expected: ExpectedFrame): Float32Array {
  const { what } = expected;
  if (header === null || header === undefined || bytes === undefined) {
    throw new TransportError('BAD_SHAPE', `readFloat32Frame: ${what} lacks its tensor ${header == null ? 'header' : 'frame'}`);
  }
  if (header.dtype !== pb.DType.FLOAT32) {
    throw new TransportError('BAD_SHAPE', `readFloat32Frame: ${what} has dtype ${String(header.dtype)}, expected FLOAT32 (${pb.DType.FLOAT32})`);
  }
  if (header.offset !== expected.offset || header.length !== expected.length) {
    throw new TransportError(
      'BAD_SHAPE',
      `readFloat32Frame: ${what} covers keys [${header.offset}, +${header.length}), expected [${expected.offset}, +${expected.length})`,
    );
  }
  if (header.checksumKind === pb.ChecksumKind.CRC32) {
    const got = crc32(bytes);
    if (got !== header.checksum) {
      throw new TransportError(
        'CHECKSUM_MISMATCH',
        `readFloat32Frame: ${what}: CRC-32 ${got} of ${bytes.length} bytes differs from the header's ${header.checksum}`,
      );
    }
  }
  try {
    return float32View(bytes, expected.length).array;
  } catch (err: unknown) {
    if (err instanceof CodecError) throw new TransportError('BAD_SHAPE', `readFloat32Frame: ${what}: ${err.message}`, err);
    throw err;
  }
}

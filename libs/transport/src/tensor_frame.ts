import { crc32, decodeHalfInto, encodeBfloat16, encodeFloat16, float32Bytes, float32View, CodecError, type WireDtype } from '@lnsgd/tensor-codec';
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

/** The proto DType of each wire dtype (their bit layouts: proto/README.md, "Wire dtype"). */
export const WIRE_DTYPE_PROTO: Readonly<Record<WireDtype, pbTypes.DType>> = {
  float32: pb.DType.FLOAT32,
  bfloat16: pb.DType.BFLOAT16,
  float16: pb.DType.FLOAT16,
};

/**
 * Describes a float32 gradient as a raw data frame in `dtype`: float32 is viewed as
 * {@link float32Frame} does; bfloat16 and float16 are rounded to nearest even into new
 * bytes (half the size), and the CRC covers those bytes, the ones sent.
 *
 * @param values the gradient.
 * @param options offset, checksum and the wire dtype.
 */
export function gradientFrame(
  values: Float32Array,
  options: Float32FrameOptions & { readonly dtype: WireDtype },
): { header: pbTypes.TensorFrame.$Properties; bytes: Uint8Array } {
  if (options.dtype === 'float32') return float32Frame(values, options);
  const bytes = options.dtype === 'bfloat16' ? encodeBfloat16(values) : encodeFloat16(values);
  const withSum = options.checksum ?? true;
  return {
    header: {
      dtype: WIRE_DTYPE_PROTO[options.dtype],
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
  /** The dtype the frame must have (default float32); a 2-byte dtype is decoded to float32 exactly. */
  readonly dtype?: WireDtype;
  /** Names the data in errors, e.g. 'push from rank 1'. */
  readonly what: string;
  /**
   * Write the values here (exactly `length` of them) instead of returning a view or
   * a new array: a receive buffer, so a 2-byte dtype is decoded without allocating.
   */
  readonly into?: Float32Array;
}

/**
 * Checks a received frame against its header and the expected key range, verifies
 * its checksum, and returns the values — viewed in place when aligned, or written
 * into `expected.into` (then returned) when given.
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
  const dtype = expected.dtype ?? 'float32';
  if (header.dtype !== WIRE_DTYPE_PROTO[dtype]) {
    const got = pb.DType[header.dtype ?? 0] ?? String(header.dtype);
    throw new TransportError(
      'BAD_SHAPE',
      `readFloat32Frame: ${what} has dtype ${got} (${String(header.dtype)}), the run's wire dtype is ${dtype.toUpperCase()} (${WIRE_DTYPE_PROTO[dtype]})`,
    );
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
  const { into } = expected;
  if (into !== undefined && into.length !== expected.length) {
    throw new RangeError(`readFloat32Frame: ${what}: the receive buffer holds ${into.length} values, the frame ${expected.length}`);
  }
  try {
    if (dtype !== 'float32') {
      const out = into ?? new Float32Array(expected.length);
      decodeHalfInto(dtype, bytes, out);
      return out;
    }
    const view = float32View(bytes, expected.length).array;
    if (into === undefined) return view;
    into.set(view);
    return into;
  } catch (err: unknown) {
    if (err instanceof CodecError) throw new TransportError('BAD_SHAPE', `readFloat32Frame: ${what}: ${err.message}`, err);
    throw err;
  }
}

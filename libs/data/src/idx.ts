import { DataError } from './data-error';
import { readMaybeGzip } from './internal/read-file';

/** A decoded IDX array of unsigned bytes: `dims` and row-major `data`. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

// IDX type codes; only 0x08 (unsigned byte) occurs in the MNIST family.
const IDX_UBYTE = 0x08;
const IDX_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/**
 * Decodes IDX bytes (the MNIST format): magic 00 00 <type> <ndim>, ndim big-endian
 * uint32 dimensions, then the data. Only unsigned-byte arrays are supported.
 * Validates the magic, the type, the number of dimensions and the exact length.
 *
 * @param bytes file contents (already gunzipped)
 * @param source file name for error messages
 * @param expectedNdim required number of dimensions (e.g. 3 for images, 1 for labels)
 * @example parseIdx(readFileSync('t10k-labels-idx1-ubyte'), 't10k-labels-idx1-ubyte', 1)
 */
export function parseIdx(bytes: Uint8Array, source: string, expectedNdim?: number): IdxArray {
  if (bytes.length < 4) {
    throw new DataError('BAD_FORMAT', `${source}: expected an IDX file (at least a 4-byte magic number), found ${bytes.length} bytes`);
  }
  const hex = (b: number): string => b.toString(16).padStart(2, '0');
  const magic = `${hex(bytes[0])} ${hex(bytes[1])} ${hex(bytes[2])} ${hex(bytes[3])}`;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError('BAD_FORMAT', `${source}: expected IDX magic 00 00 <type> <ndim>, found ${magic}`);
  }
  if (bytes[2] !== IDX_UBYTE) {
    const found = IDX_TYPE_NAMES[bytes[2]] ?? 'unknown';
    throw new DataError('BAD_FORMAT', `${source}: expected IDX type 0x08 (unsigned byte), found 0x${hex(bytes[2])} (${found})`);
  }
  const ndim = bytes[3];
  if (ndim === 0 || (expectedNdim !== undefined && ndim !== expectedNdim)) {
    throw new DataError('BAD_FORMAT', `${source}: expected ${expectedNdim ?? 'at least 1'} dimension(s), found ${ndim} (magic ${magic})`);
  }
  const headerSize = 4 + 4 * ndim;
  if (bytes.length < headerSize) {
    throw new DataError('BAD_FORMAT', `${source}: truncated header: expected ${headerSize} bytes for ${ndim} dimensions, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  const expectedLength = headerSize + count;
  if (bytes.length !== expectedLength) {
    const what = bytes.length < expectedLength ? 'truncated' : 'trailing bytes';
    throw new DataError('BAD_FORMAT', `${source}: ${what}: dims [${dims.join(', ')}] need ${expectedLength} bytes, found ${bytes.length}`);
  }
  return { dims, data: bytes.subarray(headerSize, expectedLength) };
}

/**
 * Reads an IDX file, raw or gzip-compressed (detected from its content).
 *
 * @param path file path
 * @param expectedNdim required number of dimensions, if any
 * @example readIdx('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz', 1).dims // [10000]
 */
export function readIdx(path: string, expectedNdim?: number): IdxArray {
  return parseIdx(readMaybeGzip(path), path, expectedNdim);
}

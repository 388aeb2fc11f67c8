import type { DataSplit, Dataset } from './dataset';
import { DataError } from './data-error';
import { findFile, readMaybeGzip } from './internal/read-file';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE; // label byte + R, G, B planes

/** The ten CIFAR-10 class names, by label. */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

/**
 * Decodes CIFAR-10 binary records (1 label byte + 3072 pixel bytes, channel-major
 * R, G, B planes of 32×32) into NHWC floats in [0, 1] (xShape [32, 32, 3], the
 * layout tfjs convolutions expect) and Int32 labels.
 *
 * @param bytes one or more whole records
 * @param source file name for error messages
 * @example parseCifar10(readFileSync('test_batch.bin'), 'test_batch.bin')
 */
export function parseCifar10(bytes: Uint8Array, source: string): Dataset {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new DataError(
      'BAD_FORMAT',
      `${source}: expected a whole number of ${RECORD}-byte CIFAR-10 records, found ${bytes.length} bytes (${Math.floor(bytes.length / RECORD)} records + ${bytes.length % RECORD} bytes)`,
    );
  }
  const n = bytes.length / RECORD;
  const x = new Float32Array(n * 3 * PLANE);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const rec = i * RECORD;
    const label = bytes[rec];
    if (label >= 10) {
      throw new DataError('BAD_FORMAT', `${source}: expected labels in [0, 10), found ${label} in record ${i}`);
    }
    y[i] = label;
    const dst = i * 3 * PLANE;
    for (let p = 0; p < PLANE; p++) {
      for (let c = 0; c < 3; c++) x[dst + 3 * p + c] = bytes[rec + 1 + c * PLANE + p] / 255;
    }
  }
  return { name: source, n, xShape: [SIDE, SIDE, 3], x, y, yDim: 1, task: 'classification', numClasses: 10 };
}

function concat(name: string, parts: readonly Dataset[]): Dataset {
  const n = parts.reduce((s, p) => s + p.n, 0);
  const x = new Float32Array(n * 3 * PLANE);
  const y = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    x.set(p.x, at * 3 * PLANE);
    y.set(p.y, at);
    at += p.n;
  }
  return { ...parts[0], name, n, x, y };
}

/**
 * CIFAR-10 from the binary version (`cifar-10-batches-bin`): `data_batch_1.bin` …
 * `data_batch_5.bin` (train, 50000) and `test_batch.bin` (10000). `dir` may be the
 * batches folder itself or its parent. Files may be gzip-compressed.
 *
 * @param dir directory holding the batches (or `cifar-10-batches-bin/`)
 * @example const { train, test } = loadCifar10('/data'); // train.xShape [32, 32, 3]
 */
export function loadCifar10(dir: string): DataSplit {
  const nested = `${dir}/cifar-10-batches-bin`;
  const first = ['data_batch_1.bin', 'data_batch_1.bin.gz'];
  const base = findFile(dir, first) === undefined && findFile(nested, first) !== undefined ? nested : dir;
  const read = (file: string): Dataset => {
    const path = findFile(base, [file, `${file}.gz`]);
    if (path === undefined) {
      throw new DataError(
        'FILE_NOT_FOUND',
        `loadCifar10: expected ${base}/${file}, not found; download the binary version (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html and extract it there`,
      );
    }
    return parseCifar10(readMaybeGzip(path), path);
  };
  const trainParts = [1, 2, 3, 4, 5].map((k) => read(`data_batch_${k}.bin`));
  return {
    train: concat('cifar10/train', trainParts),
    test: { ...read('test_batch.bin'), name: 'cifar10/test' },
    meta: { dir: base, classes: CIFAR10_CLASSES },
  };
}

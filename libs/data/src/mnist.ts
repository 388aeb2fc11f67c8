import type { DataSplit, Dataset } from './dataset';
import { DataError } from './data-error';
import { readIdx } from './idx';
import { findFile } from './internal/read-file';

/** Where the Debian package `dataset-fashion-mnist` installs Fashion-MNIST. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

// Standard names plus the dotted variant some MNIST mirrors use; each raw or .gz.
function candidates(stem: string): string[] {
  const dotted = stem.replace(/-idx(\d)-ubyte$/, '.idx$1-ubyte');
  return [stem, `${stem}.gz`, dotted, `${dotted}.gz`];
}

/** Options of {@link loadIdxPair}. */
export interface IdxPairOptions {
  readonly imagesPath: string;
  readonly labelsPath: string;
  /** Data set name, e.g. `mnist/train`. */
  readonly name: string;
  /** Labels must lie in [0, numClasses) (default 10). */
  readonly numClasses?: number;
}

/**
 * Loads an images/labels IDX pair as a classification Dataset: pixels scaled to
 * [0, 1], xShape [rows, cols, 1], Int32 labels. Checks that the two files agree on
 * the sample count and that every label is a valid class.
 *
 * @param options the two paths, a name and the class count
 * @example loadIdxPair({ imagesPath: 'a/train-images-idx3-ubyte', labelsPath: 'a/train-labels-idx1-ubyte', name: 'mnist/train' })
 */
export function loadIdxPair(options: IdxPairOptions): Dataset {
  const numClasses = options.numClasses ?? 10;
  const images = readIdx(options.imagesPath, 3);
  const labels = readIdx(options.labelsPath, 1);
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) {
    throw new DataError('BAD_FORMAT', `${options.labelsPath}: expected ${n} labels to match ${options.imagesPath}, found ${labels.dims[0]}`);
  }
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i] / 255;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels.data[i];
    if (label >= numClasses) {
      throw new DataError('BAD_FORMAT', `${options.labelsPath}: expected labels in [0, ${numClasses}), found ${label} at index ${i}`);
    }
    y[i] = label;
  }
  return { name: options.name, n, xShape: [rows, cols, 1], x, y, yDim: 1, task: 'classification', numClasses };
}

/** Options of {@link loadMnistFormat}. */
export interface MnistFormatOptions {
  /** Data set name prefix (`mnist`, `fashion-mnist`). */
  readonly name: string;
  /** What to tell the user when a file is missing. */
  readonly howToGet: string;
}

/**
 * Loads the four MNIST-layout files of `dir` (`train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`,
 * each raw or `.gz`).
 *
 * @param dir directory holding the files
 * @param options name and install hint
 * @example loadMnistFormat('/data/kmnist', { name: 'kmnist', howToGet: 'download it from …' })
 */
export function loadMnistFormat(dir: string, options: MnistFormatOptions): DataSplit {
  const locate = (stem: string): string => {
    const path = findFile(dir, candidates(stem));
    if (path === undefined) {
      throw new DataError('FILE_NOT_FOUND', `load ${options.name}: expected ${dir}/${stem} or ${dir}/${stem}.gz, not found; ${options.howToGet}`);
    }
    return path;
  };
  const split = (prefix: string, part: string): Dataset =>
    loadIdxPair({
      imagesPath: locate(`${prefix}-images-idx3-ubyte`),
      labelsPath: locate(`${prefix}-labels-idx1-ubyte`),
      name: `${options.name}/${part}`,
    });
  return { train: split('train', 'train'), test: split('t10k', 'test'), meta: { dir } };
}

/**
 * Fashion-MNIST (60000 train / 10000 test, 28×28 grey, 10 classes) from IDX files.
 *
 * @param dir defaults to {@link FASHION_MNIST_DEFAULT_DIR} (`apt-get install dataset-fashion-mnist`)
 * @example const { train, test } = loadFashionMnist();
 */
export function loadFashionMnist(dir: string = FASHION_MNIST_DEFAULT_DIR): DataSplit {
  return loadMnistFormat(dir, {
    name: 'fashion-mnist',
    howToGet:
      'install it with `apt-get install dataset-fashion-mnist` (files land in /usr/share/datasets/fashion-mnist) or download the four IDX files from https://github.com/zalandoresearch/fashion-mnist',
  });
}

/**
 * MNIST (60000 train / 10000 test, 28×28 grey digits) from IDX files.
 *
 * @param dir directory holding the four IDX files (raw or .gz)
 * @example const { train } = loadMnist('/data/mnist');
 */
export function loadMnist(dir: string): DataSplit {
  return loadMnistFormat(dir, {
    name: 'mnist',
    howToGet:
      'download the four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) from a MNIST mirror into that directory',
  });
}

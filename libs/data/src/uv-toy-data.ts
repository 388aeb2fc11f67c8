import type { DataSplit, Dataset } from './dataset';
import { checkInt } from './data-error';
import { fillNormal } from './internal/rng';

/** Options of {@link uvToyData}. */
export interface UvToyDataOptions {
  /** Training samples. */
  readonly n: number;
  /** Test samples (default 256). */
  readonly nTest?: number;
  readonly seed: number;
}

/**
 * Data for the uv toy model f(x) = u·v·x: x ~ N(0, 1), teacher y = x, so every
 * point of the hyperbola u·v = 1 is a global minimizer and the Hessian there is
 * m·[[v², 1], [1, u²]] with m = mean(x²) (returned in `meta.meanXSquared`, float64
 * over the float32-rounded training inputs).
 *
 * @param options sizes and seed; train and test use independent streams
 * @example
 * const { train, meta } = uvToyData({ n: 128, seed: 7 });
 */
export function uvToyData(options: UvToyDataOptions): DataSplit {
  const nTest = options.nTest ?? 256;
  checkInt('uvToyData: n', options.n, { min: 1 });
  checkInt('uvToyData: nTest', nTest, { min: 1 });
  const make = (name: string, n: number, stream: number): Dataset => {
    const x = new Float32Array(n);
    fillNormal(x, { seed: options.seed, domain: 'DATA_SYNTHESIS', stream });
    return { name, n, xShape: [1], x, y: x.slice(), yDim: 1, task: 'regression', numClasses: 0 };
  };
  const train = make('uv-toy/train', options.n, 0);
  const test = make('uv-toy/test', nTest, 1);
  let sum = 0;
  for (const v of train.x) sum += v * v;
  return { train, test, meta: { meanXSquared: sum / options.n } };
}

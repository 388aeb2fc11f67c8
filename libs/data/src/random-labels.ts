import type { Dataset } from './dataset';
import { DataError } from './data-error';
import { fillRandomInt } from './internal/rng';

/**
 * The adversarial initialisation of Liu et al. 2020 ("Bad global minima exist and
 * SGD can reach them"): a copy of a classification set whose labels are replaced by
 * independent uniform classes drawn from `seed`. Fit these first, then the true
 * labels. Features are shared with `ds`, not copied.
 *
 * @param ds a classification data set
 * @param seed label seed
 * @example const adversarial = withRandomLabels(train, 17);
 */
export function withRandomLabels(ds: Dataset, seed: number): Dataset {
  if (ds.task !== 'classification') {
    throw new DataError('INVALID_ARGUMENT', `withRandomLabels: ds must be a classification set, got task '${ds.task}' (${ds.name})`);
  }
  const y = new Int32Array(ds.n);
  fillRandomInt(y, ds.numClasses, { seed, domain: 'RANDOM_LABELS' });
  return { ...ds, name: `${ds.name}+random-labels`, y };
}

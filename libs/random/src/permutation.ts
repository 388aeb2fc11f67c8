import { CounterRng } from './counter-rng';
import { RngDomain } from './domain';

/** Which permutation to draw. */
export interface PermutationOptions {
  /** The run's seed. */
  readonly seed: number;
  /** The epoch (the stream coordinate). */
  readonly epoch: number;
  /** Default {@link RngDomain.DATA_PERMUTATION}. */
  readonly domain?: RngDomain;
}

/**
 * The global data order of one epoch: a uniformly random permutation of
 * 0 … n−1, a pure function of (seed, domain, epoch) (Fisher–Yates on the counter
 * stream; see {@link CounterRng.permutation}).
 *
 * @param n the data set size.
 * @param opts seed, epoch and domain.
 * @example permutation(50_000, { seed: 1, epoch: 3 }) // Int32Array(50000)
 */
export function permutation(n: number, opts: PermutationOptions): Int32Array {
  const rng = new CounterRng(opts.seed, opts.domain ?? RngDomain.DATA_PERMUTATION);
  return rng.permutation(n, opts.epoch);
}

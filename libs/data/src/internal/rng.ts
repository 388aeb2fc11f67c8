/**
 * The lib's only door to randomness: a thin shim over `@lnsgd/random`'s
 * counter-based generator, so every draw here is a pure function of
 * (seed, domain, stream, index) and the mapping from our call sites to stream
 * coordinates lives in one place.
 */
import { CounterRng, RngDomain } from '@lnsgd/random';

/** Purposes of random draws; each is an `RngDomain` of `@lnsgd/random`. */
export type RngDomainName = 'MODEL_INIT' | 'DATA_PERMUTATION' | 'EVAL_BATCH' | 'RANDOM_LABELS' | 'DATA_SYNTHESIS';

/** Identifies one random stream. `stream` separates draws inside a domain (epoch, tensor index, split). */
export interface RngKey {
  readonly seed: number;
  readonly domain: RngDomainName;
  readonly stream?: number;
}

function rngFor(key: RngKey): CounterRng {
  return new CounterRng(key.seed, RngDomain[key.domain]);
}

/**
 * Fills `out` with independent N(mean, std²) draws from stream `key`.
 * @example fillNormal(new Float32Array(4), { seed: 1, domain: 'DATA_SYNTHESIS', stream: 2 })
 */
export function fillNormal(out: Float32Array | Float64Array, key: RngKey, scale: { mean?: number; std?: number } = {}): void {
  rngFor(key).fillNormal(out, { a: key.stream ?? 0, mean: scale.mean ?? 0, std: scale.std ?? 1 });
}

/**
 * A uniformly random permutation of 0..n-1 from stream `key`.
 * @example permutation(5, { seed: 1, domain: 'DATA_PERMUTATION', stream: epoch })
 */
export function permutation(n: number, key: RngKey): Int32Array {
  return rngFor(key).permutation(n, key.stream ?? 0);
}

/**
 * Fills `out` with unbiased integers in [0, bound): out[i] is the draw at index i of stream `key`.
 * @example fillRandomInt(new Int32Array(3), 10, { seed: 1, domain: 'RANDOM_LABELS' })
 */
export function fillRandomInt(out: Int32Array, bound: number, key: RngKey): void {
  const rng = rngFor(key);
  const stream = key.stream ?? 0;
  for (let i = 0; i < out.length; i++) out[i] = rng.randomInt(bound, stream, i);
}

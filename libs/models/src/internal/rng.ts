/**
 * The lib's only door to randomness: a thin shim over `@lnsgd/random`'s
 * counter-based generator, so every draw here is a pure function of
 * (seed, domain, stream, index) and the mapping from our call sites to stream
 * coordinates lives in one place.
 */
import { CounterRng, RngDomain } from '@lnsgd/random';

/** Purposes of random draws; each is an `RngDomain` of `@lnsgd/random`. */
export type RngDomainName = 'MODEL_INIT';

/** Identifies one random stream. `stream` separates draws inside a domain (here: the weight tensor's index). */
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
 * @example fillNormal(new Float32Array(4), { seed: 1, domain: 'MODEL_INIT', stream: 2 })
 */
export function fillNormal(out: Float32Array | Float64Array, key: RngKey, scale: { mean?: number; std?: number } = {}): void {
  rngFor(key).fillNormal(out, { a: key.stream ?? 0, mean: scale.mean ?? 0, std: scale.std ?? 1 });
}

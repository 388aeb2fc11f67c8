import { CounterRng, RngDomain } from '@lnsgd/random';

/**
 * Probe randomness of this lib: every probe vector is a bulk fill of the counter-based
 * generator's PROBES domain at coordinates (stream, index), so probe i of a run is a
 * pure function of (seed, stream, i), the same whatever was drawn before it, and no
 * other consumer of the run's seed (label noise, data order, init) shares its bits.
 */

/** Independent streams, so that e.g. a Lanczos start vector never equals SLQ probe 0. */
export const ProbeStream = {
  LANCZOS_START: 1,
  POWER_START: 2,
  HUTCHINSON: 3,
  SLQ: 4,
  HUTCH_PLUS_PLUS: 5,
  /** Directions that measure the HVP's own error. */
  HVP_CHECK: 6,
  /** Probes that measure the evaluation-sample variance. */
  SAMPLE: 7,
  /** Synthetic data in tests and benches. */
  TEST: 100,
} as const;
export type ProbeStream = (typeof ProbeStream)[keyof typeof ProbeStream];

/** Where a probe vector comes from. */
export interface ProbeKey {
  readonly seed: number;
  readonly stream: number;
  readonly index: number;
}

function generator(fn: string, key: ProbeKey): CounterRng {
  if (!Number.isSafeInteger(key.seed) || key.seed < 0) {
    throw new RangeError(`${fn}: seed must be a non-negative safe integer, got ${key.seed}`);
  }
  return new CounterRng(key.seed, RngDomain.PROBES);
}

/**
 * A vector of independent ±1 entries (Rademacher), E[vvᵀ] = I.
 *
 * @param key seed, stream and probe index.
 * @param n length.
 */
export function rademacherVector(key: ProbeKey, n: number): Float64Array {
  return generator('rademacherVector', key).fillRademacher(new Float64Array(n), { a: key.stream, b: key.index });
}

/**
 * A vector of independent standard normal entries.
 *
 * @param key seed, stream and probe index.
 * @param n length.
 */
export function normalVector(key: ProbeKey, n: number): Float64Array {
  return generator('normalVector', key).fillNormal(new Float64Array(n), { a: key.stream, b: key.index });
}

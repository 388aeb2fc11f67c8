/**
 * Domain separation for counter-based streams: every consumer of randomness draws
 * from its own domain, so equal coordinates in two domains give independent bits
 * (the domain is hashed into the key, see {@link deriveKey}).
 *
 * The numeric values are part of every recorded run: never renumber or reuse one;
 * add new domains with new numbers.
 *
 * @example new CounterRng(seed, RngDomain.LABEL_NOISE).rademacher(step, sample)
 */
export const RngDomain = {
  /** Label noise ε of Algorithm 1; coordinates (step, sample, component). */
  LABEL_NOISE: 1,
  /** Per-epoch global permutation of the data set; coordinate (epoch). */
  DATA_PERMUTATION: 2,
  /** Parameter initialisation; coordinates (tensor index, …). */
  MODEL_INIT: 3,
  /** Choice of the fixed evaluation batch. */
  EVAL_BATCH: 4,
  /** Random-label experiments (labels replaced once, before training). */
  RANDOM_LABELS: 5,
  /** Synthetic data sets (inputs, teacher weights). */
  DATA_SYNTHESIS: 6,
  /** Sharpness probe vectors (Lanczos start, Hutchinson / SLQ probes). */
  PROBES: 7,
  /** Data augmentation (crops, flips). */
  DATA_AUGMENTATION: 8,
  /** Bootstrap resampling of study results over seeds; coordinates (replicate, draw). */
  BOOTSTRAP: 9,
} as const;

/** One of the values of {@link RngDomain}. */
export type RngDomain = (typeof RngDomain)[keyof typeof RngDomain];

const DOMAIN_VALUES: ReadonlySet<number> = new Set(Object.values(RngDomain));

/** Throws unless `domain` is one of the values of {@link RngDomain}. */
export function checkDomain(fn: string, domain: number): void {
  if (!DOMAIN_VALUES.has(domain)) {
    throw new RangeError(`${fn}: domain must be one of the RngDomain values, got ${domain}`);
  }
}

/**
 * Private adapter for probe randomness. Everything random in this lib goes through
 * the two vector functions below, so moving to `@lnsgd/random`
 * (`new CounterRng(seed, RngDomain.PROBES).uniform(stream, index, component)`) is a
 * change to `uniformAt` only.
 *
 * The generator is counter-based: the value at (seed, stream, index, component) is a
 * pure hash, so probe i of a run is the same whatever was drawn before it.
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

// lowbias32 (C. Wellons): a bijective 32-bit mixer with good avalanche.
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function absorb(key: ProbeKey, component: number, lane: number): number {
  const seedLo = key.seed >>> 0;
  const seedHi = Math.floor(key.seed / 4294967296) >>> 0;
  let h = mix32(seedLo ^ Math.imul(lane + 1, 0x9e3779b9));
  h = mix32((h ^ seedHi) + 0x632be5ab);
  h = mix32((h ^ key.stream) + 0x85ebca6b);
  h = mix32((h ^ key.index) + 0xc2b2ae35);
  h = mix32((h ^ component) + 0x27d4eb2f);
  return mix32(h ^ (h >>> 13));
}

/** Uniform in the open interval (0, 1) with 53 random bits, a pure function of its inputs. */
function uniformAt(key: ProbeKey, component: number): number {
  const hi = absorb(key, component, 0) >>> 5; // 27 bits
  const lo = absorb(key, component, 1) >>> 6; // 26 bits
  return (hi * 67108864 + lo + 0.5) / 9007199254740992;
}

function checkKey(fn: string, key: ProbeKey): void {
  if (!Number.isSafeInteger(key.seed) || key.seed < 0) {
    throw new RangeError(`${fn}: seed must be a non-negative safe integer, got ${key.seed}`);
  }
}

/**
 * A vector of independent ±1 entries (Rademacher), E[vvᵀ] = I.
 *
 * @param key seed, stream and probe index.
 * @param n length.
 */
export function rademacherVector(key: ProbeKey, n: number): Float64Array {
  checkKey('rademacherVector', key);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = uniformAt(key, i) < 0.5 ? -1 : 1;
  return v;
}

/**
 * A vector of independent standard normal entries (Box–Muller).
 *
 * @param key seed, stream and probe index.
 * @param n length.
 */
export function normalVector(key: ProbeKey, n: number): Float64Array {
  checkKey('normalVector', key);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = uniformAt(key, 2 * i);
    const u2 = uniformAt(key, 2 * i + 1);
    v[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return v;
}

import type { LabelNoise } from '../label-noise';

/** Throws unless sigma is finite and ≥ 0. */
export function checkSigma(fn: string, sigma: number): void {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`${fn}: sigma must be finite and >= 0, got ${sigma}`);
  }
}

/** Throws unless 0 ≤ p ≤ 1 and C is an integer ≥ 2. */
export function checkFlip(fn: string, noise: { flipProb: number; numClasses: number }): void {
  if (!(noise.flipProb >= 0 && noise.flipProb <= 1)) {
    throw new RangeError(`${fn}: flipProb must lie in [0, 1], got ${noise.flipProb}`);
  }
  if (!Number.isInteger(noise.numClasses) || noise.numClasses < 2 || noise.numClasses > 0x7fff_ffff) {
    throw new RangeError(`${fn}: numClasses must be an integer in [2, 2^31), got ${noise.numClasses}`);
  }
}

/** Throws unless `noise` is a well-formed model (it may come from a config file). */
export function checkNoise(fn: string, noise: LabelNoise): void {
  switch (noise.kind) {
    case 'rademacher':
    case 'gaussian':
      checkSigma(fn, noise.sigma);
      return;
    case 'flip':
      checkFlip(fn, noise);
      return;
    case 'none':
      return;
    default: {
      const unknown: never = noise;
      throw new RangeError(`${fn}: unknown noise kind ${JSON.stringify((unknown as { kind?: unknown }).kind)}`);
    }
  }
}

/** Throws unless seed is a non-negative safe integer and step a uint32. */
export function checkSeedStep(fn: string, at: { seed: number; step: number }): void {
  if (!Number.isSafeInteger(at.seed) || at.seed < 0) {
    throw new RangeError(`${fn}: seed must be a non-negative safe integer, got ${at.seed}`);
  }
  if (at.step >>> 0 !== at.step) {
    throw new RangeError(`${fn}: step must be an integer in [0, 2^32), got ${at.step}`);
  }
}

/** Throws unless every sample index is a uint32; the message names the first bad one. */
export function checkSampleIndices(fn: string, indices: ArrayLike<number>): void {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if (v >>> 0 !== v) {
      throw new RangeError(`${fn}: sampleIndices[${i}] must be an integer in [0, 2^32), got ${v}`);
    }
  }
}

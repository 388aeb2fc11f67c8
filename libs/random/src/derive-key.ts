import { checkDomain, type RngDomain } from './domain';
import { philox4x32 } from './philox';

// "Nothing up my sleeve" key for key derivation: the first 64 fraction bits of e.
const DERIVATION_KEY = [0xb7e15162, 0x8aed2a6a] as const;
// Marks the derivation counter so it can never equal a drawing counter's layout.
const DERIVATION_TAG = 0x6b657973; // "keys"
const TWO_32 = 0x1_0000_0000;

/**
 * The Philox key of the stream for (seed, domain): one full Philox4x32-10 block of
 * (seed_lo, seed_hi, domain, tag) under a fixed key. Hashing (rather than using the
 * seed as the key) makes nearby seeds give unrelated keys and separates domains.
 *
 * @param seed a non-negative safe integer.
 * @param domain the consumer's domain.
 * @returns the two key words.
 * @example deriveKey(0, RngDomain.LABEL_NOISE) // two uint32 words
 */
export function deriveKey(seed: number, domain: RngDomain): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`deriveKey: seed must be a non-negative safe integer, got ${seed}`);
  }
  checkDomain('deriveKey', domain);
  const lo = seed % TWO_32;
  const hi = Math.floor(seed / TWO_32);
  const out = philox4x32([lo, hi, domain, DERIVATION_TAG], DERIVATION_KEY);
  return [out[0], out[1]];
}

import { philoxBlock } from './internal/philox-block';

/** Four unsigned 32-bit words: a Philox counter or output block. */
export type Uint32x4 = [number, number, number, number];

function checkWord(fn: string, name: string, v: number): void {
  if (v >>> 0 !== v) {
    throw new RangeError(`${fn}: ${name} must be an integer in [0, 2^32), got ${v}`);
  }
}

/**
 * Philox4x32-10 (Salmon, Moraes, Dror, Shaw 2011, "Parallel random numbers: as
 * easy as 1, 2, 3"; Random123's `philox4x32_R(10, ctr, key)`): a keyed bijection of
 * 128-bit counters, so any block of random bits can be computed directly from its
 * coordinates. Each round maps (x0, x1, x2, x3) to
 * (hi(M1·x2) ⊕ x1 ⊕ k0, lo(M1·x2), hi(M0·x0) ⊕ x3 ⊕ k1, lo(M0·x0)), and the key
 * is bumped by the Weyl constants between rounds.
 *
 * @param counter four uint32 words.
 * @param key two uint32 words.
 * @returns the four uint32 output words.
 * @example philox4x32([0, 0, 0, 0], [0, 0]) // [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
 */
export function philox4x32(counter: readonly [number, number, number, number], key: readonly [number, number]): Uint32x4 {
  for (let i = 0; i < 4; i++) checkWord('philox4x32', `counter[${i}]`, counter[i]);
  for (let i = 0; i < 2; i++) checkWord('philox4x32', `key[${i}]`, key[i]);
  const io = Uint32Array.of(counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
  philoxBlock(io, io);
  return [io[0], io[1], io[2], io[3]];
}

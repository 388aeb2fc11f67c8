/** A contiguous key range [offset, offset + length) of the flat parameter vector. */
export interface KeyRange {
  readonly shard: number;
  readonly offset: number;
  readonly length: number;
}

/**
 * Splits keys 0..numKeys−1 into `numShards` contiguous ranges (ps-lite's
 * GetServerKeyRanges): lengths differ by at most one, the first numKeys mod S
 * shards take the extra key, ranges are ordered, disjoint and cover every key.
 * More shards than keys is an error (a shard would own nothing).
 *
 * @param numKeys length of the flat parameter vector (≥ 1).
 * @param numShards S ≥ 1.
 * @example keyRanges(10, 3) // [{0,0,4}, {1,4,3}, {2,7,3}]
 */
export function keyRanges(numKeys: number, numShards: number): KeyRange[] {
  if (!Number.isInteger(numKeys) || numKeys < 1) throw new RangeError(`keyRanges: numKeys must be an integer >= 1, got ${numKeys}`);
  if (!Number.isInteger(numShards) || numShards < 1 || numShards > numKeys) {
    throw new RangeError(`keyRanges: numShards must be an integer in [1, numKeys = ${numKeys}], got ${numShards}`);
  }
  const base = Math.floor(numKeys / numShards);
  const extra = numKeys % numShards;
  const out: KeyRange[] = [];
  let offset = 0;
  for (let s = 0; s < numShards; s++) {
    const length = base + (s < extra ? 1 : 0);
    out.push({ shard: s, offset, length });
    offset += length;
  }
  if (offset !== numKeys) throw new Error(`keyRanges: internal error, ranges cover ${offset} of ${numKeys} keys`);
  return out;
}

import { philoxBlock } from './philox-block';
import { TWO_32 } from './counter-layout';

/** What a bulk fill draws: the stream, and how one Philox block becomes values. */
export interface BlockFillSpec {
  readonly key: readonly [number, number];
  readonly tag: number;
  readonly a: number;
  readonly b: number;
  /** Index of out[0] in the stream, so any slice can be filled on its own. */
  readonly offset: number;
  /** Values made from one Philox block. */
  readonly perBlock: number;
  /** Writes the `perBlock` values of one block of words into `dst`. */
  readonly expand: (words: Uint32Array, dst: Float64Array) => void;
  /** Each value v is stored as shift + scale·v. */
  readonly scale: number;
  readonly shift: number;
}

/** Throws unless [offset, offset + length) lies inside the stream's 2^32 blocks. */
export function checkFillRange(fn: string, spec: { offset: number; length: number; perBlock: number }): void {
  const { offset, length, perBlock } = spec;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`${fn}: offset must be a non-negative safe integer, got ${offset}`);
  }
  if ((offset + length) / perBlock > TWO_32) {
    throw new RangeError(`${fn}: offset + length = ${offset + length} exceeds the stream (${perBlock}·2^32 values)`);
  }
}

/**
 * Fills `out` with the values at stream indices offset … offset + out.length − 1.
 * Value i comes from Philox block ⌊i / perBlock⌋, lane i mod perBlock, so the
 * result does not depend on how the stream is sliced.
 */
export function fillFromBlocks(out: Float32Array | Float64Array, spec: BlockFillSpec): void {
  const { perBlock, expand, scale, shift } = spec;
  const io = Uint32Array.of(spec.a, spec.b, 0, spec.tag, spec.key[0], spec.key[1]);
  const words = new Uint32Array(4);
  const values = new Float64Array(perBlock);
  const n = out.length;
  let i = 0;
  let block = Math.floor(spec.offset / perBlock);
  let lane = spec.offset - block * perBlock;
  while (i < n) {
    io[2] = block;
    philoxBlock(io, words);
    expand(words, values);
    const end = Math.min(perBlock, lane + n - i);
    for (let j = lane; j < end; j++) out[i++] = shift + scale * values[j];
    lane = 0;
    block++;
  }
}

import { philoxBlock } from './philox-block';
import { TWO_32 } from './counter-layout';

/**
 * A sequential reader of uint32 words from the counters (a, b, 0, tag),
 * (a, b, 1, tag), … — for consumers that need a variable number of words
 * (rejection sampling, shuffles).
 */
export class WordStream {
  private readonly io: Uint32Array;
  private readonly words = new Uint32Array(4);
  private lane = 4;
  private block = 0;

  constructor(spec: { key: readonly [number, number]; a: number; b: number; tag: number }) {
    this.io = Uint32Array.of(spec.a, spec.b, 0, spec.tag, spec.key[0], spec.key[1]);
  }

  /** The next word. */
  next(): number {
    if (this.lane === 4) {
      this.io[2] = this.block++;
      philoxBlock(this.io, this.words);
      this.lane = 0;
    }
    return this.words[this.lane++];
  }

  /**
   * An unbiased integer in [0, n), 1 ≤ n ≤ 2^32, by rejecting the words at or
   * above the largest multiple of n below 2^32 (rejection probability < n / 2^32).
   */
  nextBelow(n: number): number {
    const limit = TWO_32 - (TWO_32 % n);
    let x = this.next();
    while (x >= limit) x = this.next();
    return x % n;
  }
}

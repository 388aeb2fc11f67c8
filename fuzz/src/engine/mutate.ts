/** A small seeded PRNG (xorshift32): a run is reproducible from its seed. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }

  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
}

const INTERESTING8 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x40, 0x08, 0x12, 0x1a, 0x22];
const INTERESTING32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 0xffff, 0x100, 0x7f800000, 0x7fc00000, 0xff800000, 0x3f800000];

/**
 * libFuzzer's stacked byte mutations: 1 to 16 of bit flips, random and interesting
 * bytes and words, arithmetic, inserts, erases, in-place copies, and crossover with
 * another corpus entry.
 */
export function mutate(src: Uint8Array, other: Uint8Array, o: { readonly rng: Rng; readonly maxLen: number }): Uint8Array {
  const { rng, maxLen } = o;
  let buf = Array.from(src);
  const stack = 1 << rng.below(5);
  for (let i = 0; i < stack; i++) buf = mutateOnce(buf, other, rng);
  if (buf.length > maxLen) buf.length = maxLen;
  return Uint8Array.from(buf);
}

function mutateOnce(buf: number[], other: Uint8Array, rng: Rng): number[] {
  const n = buf.length;
  const at = rng.below(n);
  switch (rng.below(11)) {
    case 0:
      if (n > 0) buf[at] ^= 1 << rng.below(8);
      return buf;
    case 1:
      if (n > 0) buf[at] = rng.below(256);
      return buf;
    case 2:
      if (n > 0) buf[at] = INTERESTING8[rng.below(INTERESTING8.length)];
      return buf;
    case 3:
      if (n > 0) buf[at] = (buf[at] + 1 + rng.below(35) - 18 + 256) & 0xff;
      return buf;
    case 4: {
      const w = INTERESTING32[rng.below(INTERESTING32.length)];
      for (let k = 0; k < 4 && at + k < n; k++) buf[at + k] = (w >>> (8 * k)) & 0xff;
      return buf;
    }
    case 5: {
      const count = 1 + rng.below(8);
      const ins = Array.from({ length: count }, () => rng.below(256));
      buf.splice(rng.below(n + 1), 0, ...ins);
      return buf;
    }
    case 6:
      if (n > 1) buf.splice(at, 1 + rng.below(Math.min(16, n - at)));
      return buf;
    case 7: {
      // Copy a range of this input elsewhere in it (repeats a field or a message).
      if (n < 2) return buf;
      const from = rng.below(n);
      const len = 1 + rng.below(Math.min(32, n - from));
      buf.splice(rng.below(n + 1), 0, ...buf.slice(from, from + len));
      return buf;
    }
    case 8: {
      if (other.length === 0) return buf;
      const from = rng.below(other.length);
      const len = 1 + rng.below(Math.min(32, other.length - from));
      buf.splice(rng.below(n + 1), 0, ...other.subarray(from, from + len));
      return buf;
    }
    case 9:
      // Crossover: this input's head, the other's tail.
      return [...buf.slice(0, rng.below(n + 1)), ...other.subarray(rng.below(other.length + 1))];
    default:
      if (n > 0) buf[at] = 0x30 + rng.below(10);
      return buf;
  }
}

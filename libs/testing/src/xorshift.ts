/**
 * A small seeded uniform generator on [0, 1) (xorshift32) for tests, so a failing
 * random case replays from its seed. Not for production randomness: runs draw from
 * @lnsgd/random's counter-based streams.
 *
 * @param seed any integer (0 is mapped to 1: xorshift's zero state is fixed).
 */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

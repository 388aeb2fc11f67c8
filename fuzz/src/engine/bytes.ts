/**
 * Reads typed values off a fuzzer's input, front to back (libFuzzer's
 * FuzzedDataProvider in small): past the end every read returns zero or empty, so a
 * target never fails for running out of input.
 */
export class Bytes {
  private at = 0;

  constructor(private readonly data: Uint8Array) {}

  get left(): number {
    return this.data.length - this.at;
  }

  u8(): number {
    return this.at < this.data.length ? this.data[this.at++] : 0;
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 256 ? this.u8() % n : this.u32() % n;
  }

  bool(): boolean {
    return (this.u8() & 1) === 1;
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  /** A float32 read from 4 bytes: NaN, ±Infinity, subnormals and all. */
  f32(): number {
    const b = new Uint8Array([this.u8(), this.u8(), this.u8(), this.u8()]);
    return new Float32Array(b.buffer)[0];
  }

  /** Up to `max` bytes, the count read first. */
  bytes(max: number): Uint8Array {
    const n = Math.min(this.below(max + 1), this.left);
    const out = this.data.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** Up to `max` bytes as UTF-8 (invalid sequences become U+FFFD). */
  text(max: number): string {
    return Buffer.from(this.bytes(max)).toString('utf8');
  }

  /** The rest of the input. */
  rest(): Uint8Array {
    const out = this.data.subarray(this.at);
    this.at = this.data.length;
    return out;
  }
}

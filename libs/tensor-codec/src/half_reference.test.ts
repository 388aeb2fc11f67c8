import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CodecError, decodeBfloat16, decodeFloat16, decodeHalfInto, encodeBfloat16, encodeFloat16 } from './index';

/** PyTorch's roundings of float32 bit patterns (fixtures/half_reference.py writes them). */
interface Reference {
  readonly float32: number[];
  readonly bfloat16: number[];
  readonly float16: number[];
}
const ref = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'half_reference.json'), 'utf8')) as Reference;
const input = new Float32Array(new Uint32Array(ref.float32).buffer);

function bitsOf(bytes: Uint8Array): Uint16Array {
  return new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
/** binary16 / bfloat16 values from their fields, written out here independently of the codec. */
function refFloat16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m === 0 ? sign * Infinity : Number.NaN;
  return e === 0 ? sign * m * 2 ** -24 : sign * (1 + m / 1024) * 2 ** (e - 15);
}
function refBfloat16(h: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setUint32(0, h << 16);
  return v.getFloat32(0);
}
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
const isNanHalf = (h: number, expBits: number, mantBits: number) =>
  ((h >>> mantBits) & ((1 << expBits) - 1)) === (1 << expBits) - 1 && (h & ((1 << mantBits) - 1)) !== 0;

void describe('half precision against PyTorch', () => {
  for (const [name, encode, expBits, mantBits] of [
    ['bfloat16', encodeBfloat16, 8, 7],
    ['float16', encodeFloat16, 5, 10],
  ] as const) {
    void test(`${name}: every pattern (ties, subnormals, overflow, ±Inf, NaN, random) rounds as torch does`, () => {
      const got = bitsOf(encode(input));
      const want = ref[name];
      let nans = 0;
      for (let i = 0; i < input.length; i++) {
        if (Number.isNaN(input[i])) {
          // NaN payloads are unspecified; a NaN must stay a NaN (never become ±Inf).
          assert.ok(isNanHalf(got[i], expBits, mantBits), `${name}: NaN 0x${ref.float32[i].toString(16)} encoded as 0x${got[i].toString(16)}`);
          nans++;
          continue;
        }
        assert.equal(got[i], want[i], `${name}: 0x${ref.float32[i].toString(16)} (${input[i]}) → 0x${got[i].toString(16)}, torch 0x${want[i].toString(16)}`);
      }
      assert.ok(nans >= 6, 'the fixture holds NaNs');
    });
  }

  void test('decoding is exact for every half: it matches the fields written out and re-encodes to its bits', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const bytes = new Uint8Array(all.buffer);
    const bf = decodeBfloat16(bytes);
    const h = decodeFloat16(bytes);
    const into = new Float32Array(65536);
    decodeHalfInto('float16', bytes, into);
    for (let i = 0; i < 65536; i++) {
      // Re-encoding a decoded value gives back its bits (NaNs stay NaN).
      if (Number.isNaN(h[i])) assert.ok(isNanHalf(i, 5, 10));
      else assert.equal(bitsOf(encodeFloat16(new Float32Array([h[i]])))[0], i);
      if (Number.isNaN(bf[i])) assert.ok(isNanHalf(i, 8, 7));
      else assert.equal(bitsOf(encodeBfloat16(new Float32Array([bf[i]])))[0], i);
      assert.ok(Object.is(into[i], h[i]));
      assert.ok(same(h[i], refFloat16(i)), `float16 0x${i.toString(16)}: ${h[i]} vs ${refFloat16(i)}`);
      assert.ok(same(bf[i], refBfloat16(i)), `bfloat16 0x${i.toString(16)}: ${bf[i]} vs ${refBfloat16(i)}`);
    }
  });
});

void describe('decodeHalfInto on arbitrary bytes', () => {
  void test('never throws anything but CodecError BAD_LENGTH, and is exact for right-sized frames', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 40 }), fc.constantFrom('bfloat16' as const, 'float16' as const), (bytes, n, dtype) => {
        const out = new Float32Array(n);
        if (bytes.byteLength !== 2 * n) {
          assert.throws(
            () => decodeHalfInto(dtype, bytes, out),
            (e: unknown) => e instanceof CodecError && e.code === 'BAD_LENGTH',
          );
          return;
        }
        decodeHalfInto(dtype, bytes, out);
        const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const ref = dtype === 'bfloat16' ? refBfloat16 : refFloat16;
        for (let i = 0; i < n; i++) assert.ok(same(out[i], ref(v.getUint16(2 * i, true))));
      }),
      { seed: 16, numRuns: 500 },
    );
  });

  void test('misaligned input and a subarray output decode like aligned ones', () => {
    const backing = new Uint8Array(9);
    backing.set([0x80, 0x3f, 0x00, 0x7c, 0x01, 0x00, 0x00, 0x80], 1);
    const out = new Float32Array(6).subarray(1, 5);
    decodeHalfInto('float16', backing.subarray(1), out);
    assert.deepEqual(Array.from(out), [1.875, Infinity, 2 ** -24, -0]);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodecError,
  crc32,
  decodeBfloat16,
  decodeFloat16,
  encodeBfloat16,
  encodeFloat16,
  firstNonFinite,
  float32Bytes,
  float32View,
  verifyCrc32,
} from './index';

void describe('float32View', () => {
  void test('aligned bytes are viewed without copying', () => {
    const a = new Float32Array([1, -2, 3.5, 1e-30]);
    const bytes = float32Bytes(a);
    const { array, copied } = float32View(bytes, 4);
    assert.equal(copied, false);
    assert.equal(array.buffer, a.buffer, 'shares memory');
    assert.deepEqual(Array.from(array), Array.from(a));
  });

  void test('misaligned bytes are copied, bit-exactly', () => {
    const a = new Float32Array([Number.NaN, -0, Infinity, 7.25]);
    const backing = new Uint8Array(1 + a.byteLength);
    backing.set(float32Bytes(a), 1);
    const { array, copied } = float32View(backing.subarray(1), 4);
    assert.equal(copied, true);
    assert.deepEqual(new Uint32Array(array.buffer), new Uint32Array(a.buffer));
  });

  void test('wrong lengths are BAD_LENGTH errors naming the sizes', () => {
    assert.throws(
      () => float32View(new Uint8Array(6)),
      (e: unknown) => e instanceof CodecError && e.code === 'BAD_LENGTH' && /6 bytes/.test(e.message),
    );
    assert.throws(() => float32View(new Uint8Array(8), 3), /expected 12/);
  });
});

void describe('half precision', () => {
  void test('float16 round-trips representable values and rounds to nearest even', () => {
    const xs = new Float32Array([0, -0, 1, -2.5, 65504, 6.103515625e-5, 5.960464477539063e-8, Infinity, -Infinity]);
    assert.deepEqual(Array.from(decodeFloat16(encodeFloat16(xs))), Array.from(xs));
    assert.equal(decodeFloat16(encodeFloat16(new Float32Array([1 + 2 ** -11])))[0], 1, 'tie rounds to even');
    assert.equal(decodeFloat16(encodeFloat16(new Float32Array([1e6])))[0], Infinity, 'overflow');
    assert.ok(Number.isNaN(decodeFloat16(encodeFloat16(new Float32Array([Number.NaN])))[0]));
    assert.ok(Math.abs(decodeFloat16(encodeFloat16(new Float32Array([0.1])))[0] - 0.1) < 1e-4);
  });

  void test('bfloat16 keeps float32 range with 8 mantissa bits', () => {
    const out = decodeBfloat16(encodeBfloat16(new Float32Array([1, 3e38, -1e-38, 1.00390625, Number.NaN])));
    assert.equal(out[0], 1);
    assert.ok(Math.abs(out[1] - 3e38) / 3e38 < 1 / 128);
    assert.ok(Math.abs(out[2] + 1e-38) / 1e-38 < 1 / 128);
    assert.equal(out[3], 1, 'tie rounds to even');
    assert.ok(Number.isNaN(out[4]));
    assert.throws(() => decodeBfloat16(new Uint8Array(3)), CodecError);
    assert.throws(() => decodeFloat16(new Uint8Array(3)), CodecError);
  });
});

void describe('checksums and finiteness', () => {
  void test('crc32 matches the standard check value', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    verifyCrc32(new Uint8Array([1, 2, 3]), crc32(new Uint8Array([1, 2, 3])), 'x');
    assert.throws(
      () => verifyCrc32(new Uint8Array([1, 2, 3]), 0, 'push from rank 1'),
      (e: unknown) => e instanceof CodecError && e.code === 'CHECKSUM_MISMATCH' && /rank 1/.test(e.message),
    );
  });

  void test('firstNonFinite finds NaN and infinities', () => {
    assert.equal(firstNonFinite(new Float32Array([1, 2, 3])), -1);
    assert.equal(firstNonFinite(new Float32Array([1, Number.NaN])), 1);
    assert.equal(firstNonFinite(new Float32Array([-Infinity])), 0);
  });

  void test('firstNonFinite finds the first bad value in any block, and none in finite data of every sign and size', () => {
    const n = 3 * 4096 + 17;
    const a = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : (i % 2 === 0 ? -1 : 1) * 3.4e38 * (i / n)));
    assert.equal(firstNonFinite(a), -1);
    assert.equal(firstNonFinite(new Float32Array(0)), -1);
    for (const at of [0, 4095, 4096, 8191, n - 1]) {
      for (const bad of [Number.NaN, Infinity, -Infinity]) {
        const b = a.slice();
        b[at] = bad;
        if (at + 5 < n) b[at + 5] = Number.NaN;
        assert.equal(firstNonFinite(b), at, `${bad} at ${at}`);
      }
    }
  });
});

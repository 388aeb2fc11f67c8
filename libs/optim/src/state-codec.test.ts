import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeOptimizerState, encodeOptimizerState } from './state-codec';
import type { OptimizerState } from './transformation';

function f32FromBits(...bits: number[]): Float32Array {
  return new Float32Array(Uint32Array.from(bits).buffer);
}
function bitsOf(x: Float32Array): number[] {
  return Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
}

void describe('optimizer state codec', () => {
  void test('writes the documented v1 layout', () => {
    const bytes = encodeOptimizerState({ count: 1 });
    // "LNOS", version 1, object of 1 entry, key "count" (5 bytes), number 1.0 (float64 LE).
    assert.deepEqual(Array.from(bytes), [0x4c, 0x4e, 0x4f, 0x53, 1, 0x04, 1, 0, 0, 0, 5, 0, 0, 0, 99, 111, 117, 110, 116, 0x01, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    assert.deepEqual(Array.from(encodeOptimizerState(Float32Array.of(1))), [0x4c, 0x4e, 0x4f, 0x53, 1, 0x02, 1, 0, 0, 0, 0, 0, 0x80, 0x3f]);
  });

  void test('round-trips Float32Arrays bit-exactly and numbers exactly', () => {
    // A NaN with a payload, −0, ±Infinity, the smallest subnormal, and a large value.
    const vec = f32FromBits(0x7fc0_0001, 0x8000_0000, 0x7f80_0000, 0xff80_0000, 0x0000_0001, 0x7f7f_ffff);
    const state: OptimizerState = [{}, { count: 7 }, { velocity: vec }, [], { ключ: -0, nan: Number.NaN, big: 2 ** 53 + 2, tiny: 5e-324 }];
    const back = decodeOptimizerState(encodeOptimizerState(state)) as readonly OptimizerState[];
    const v = (back[2] as { velocity: Float32Array }).velocity;
    assert.ok(v instanceof Float32Array);
    assert.deepEqual(bitsOf(v), bitsOf(vec));
    assert.notEqual(v.buffer, vec.buffer);
    const nums = back[4] as { [k: string]: number };
    assert.ok(Object.is(nums['ключ'], -0));
    assert.ok(Number.isNaN(nums['nan']));
    assert.equal(nums['big'], 2 ** 53 + 2);
    assert.equal(nums['tiny'], 5e-324);
    assert.deepEqual(back[0], {});
    assert.deepEqual(back[1], { count: 7 });
    assert.deepEqual(back[3], []);
  });

  void test('handles views: a subarray to encode, unaligned bytes to decode', () => {
    const big = Float32Array.from([9, 1, 2, 3, 9]);
    const bytes = encodeOptimizerState({ v: big.subarray(1, 4) });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const back = decodeOptimizerState(shifted.subarray(3), { v: new Float32Array(3) });
    assert.deepEqual(Array.from(back.v), [1, 2, 3]);
  });

  void test('with a template, checks the structure and names the path', () => {
    const bytes = encodeOptimizerState([{ count: 3 }, { velocity: new Float32Array(4) }]);
    const like = [{ count: 0 }, { velocity: new Float32Array(4) }] as const;
    assert.equal(decodeOptimizerState(bytes, like)[0].count, 3);
    assert.throws(() => decodeOptimizerState(bytes, [{ count: 0 }, { velocity: new Float32Array(5) }]), /state\[1\]\.velocity has length 4, expected 5/);
    assert.throws(
      () => decodeOptimizerState(bytes, [{ count: 0 }, { momentum: new Float32Array(4) }]),
      /state\[1\] has keys \[velocity\], expected \[momentum\]/,
    );
    assert.throws(() => decodeOptimizerState(bytes, [{ count: 0 }]), /state has 2 items, expected 1/);
    assert.throws(() => decodeOptimizerState(bytes, [{ count: new Float32Array(1) }, {}]), /state\[0\]\.count should be a Float32Array/);
  });

  void test('rejects corrupt input', () => {
    const bytes = encodeOptimizerState({ count: 1 });
    assert.throws(() => decodeOptimizerState(Uint8Array.from([1, 2, 3, 4, 1])), /decodeOptimizerState: not an optimizer state/);
    const v2 = bytes.slice();
    v2[4] = 2;
    assert.throws(() => decodeOptimizerState(v2), /unsupported version 2/);
    assert.throws(() => decodeOptimizerState(bytes.subarray(0, bytes.length - 1)), /truncated input/);
    assert.throws(() => decodeOptimizerState(Uint8Array.from([...bytes, 0])), /1 trailing bytes/);
    const badTag = bytes.slice();
    badTag[5] = 9;
    assert.throws(() => decodeOptimizerState(badTag), /unknown value tag 9 at byte 5/);
  });

  void test('rejects state that is not plain data, naming the path', () => {
    assert.throws(
      () => encodeOptimizerState([{}, { x: new Float64Array(2) as never }]),
      /encodeOptimizerState: state\[1\]\.x is not plain optimizer data.*Float64Array/,
    );
    assert.throws(() => encodeOptimizerState(new Map() as never), /state is not plain optimizer data/);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { philox4x32 } from './philox';

// Random123 tests/kat_vectors, the three "philox4x32 10" lines: counter[4] key[2] → output[4].
const KAT: ReadonlyArray<{ ctr: [number, number, number, number]; key: [number, number]; out: number[] }> = [
  { ctr: [0, 0, 0, 0], key: [0, 0], out: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
  {
    ctr: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    key: [0xffffffff, 0xffffffff],
    out: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  },
  {
    ctr: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    key: [0xa4093822, 0x299f31d0],
    out: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  },
];

void describe('philox4x32', () => {
  for (const { ctr, key, out } of KAT) {
    void test(`matches the Random123 known answer for counter ${ctr[0].toString(16)}…`, () => {
      assert.deepEqual(philox4x32(ctr, key), out);
    });
  }

  void test('returns uint32 words', () => {
    for (const w of philox4x32([1, 2, 3, 4], [5, 6])) assert.ok(Number.isInteger(w) && w >= 0 && w < 2 ** 32);
  });

  void test('rejects words outside uint32, naming the argument', () => {
    assert.throws(() => philox4x32([0, -1, 0, 0], [0, 0]), /philox4x32: counter\[1\].*-1/);
    assert.throws(() => philox4x32([0, 0, 0, 0], [2 ** 32, 0]), /philox4x32: key\[0\]/);
    assert.throws(() => philox4x32([0.5, 0, 0, 0], [0, 0]), RangeError);
  });
});

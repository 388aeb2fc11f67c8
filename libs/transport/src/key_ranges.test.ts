import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyRanges } from './key_ranges';

void test('keyRanges: every (n, S) up to 40 gives ordered, disjoint, covering, balanced ranges', () => {
  for (let n = 1; n <= 40; n++) {
    for (let s = 1; s <= n; s++) {
      const r = keyRanges(n, s);
      assert.equal(r.length, s);
      let next = 0;
      for (const [i, range] of r.entries()) {
        assert.equal(range.shard, i);
        assert.equal(range.offset, next, `n=${n} S=${s}: shard ${i} starts where the previous ended`);
        assert.ok(range.length >= 1);
        next += range.length;
      }
      assert.equal(next, n);
      const lens = r.map((x) => x.length);
      assert.ok(Math.max(...lens) - Math.min(...lens) <= 1);
    }
  }
  assert.deepEqual(keyRanges(10, 3), [
    { shard: 0, offset: 0, length: 4 },
    { shard: 1, offset: 4, length: 3 },
    { shard: 2, offset: 7, length: 3 },
  ]);
});

void test('keyRanges: bad arguments name the argument and value', () => {
  assert.throws(() => keyRanges(0, 1), /numKeys.*0/);
  assert.throws(() => keyRanges(3, 4), /numShards.*4/);
  assert.throws(() => keyRanges(3, 1.5), /numShards/);
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { batchIndices, DataError, evalBatchIndices, gatherBatch, microBatchSizes, teacherClassificationData, uvToyData, withRandomLabels } from './index';

function isPermutation(a: ArrayLike<number>, n: number): boolean {
  if (a.length !== n) return false;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (a[i] < 0 || a[i] >= n || seen[a[i]]) return false;
    seen[a[i]] = 1;
  }
  return true;
}

void describe('microBatchSizes', () => {
  void test('sum to B and differ by at most 1', () => {
    for (let b = 1; b <= 40; b++) {
      for (let w = 1; w <= 9; w++) {
        const s = microBatchSizes(b, w);
        assert.equal(
          s.reduce((x, y) => x + y, 0),
          b,
        );
        assert.ok(Math.max(...s) - Math.min(...s) <= 1);
      }
    }
    assert.deepEqual([...microBatchSizes(10, 4)], [3, 3, 2, 2]);
  });
});

void describe('batchIndices', () => {
  const n = 103;
  const globalBatch = 10; // 10 steps per epoch, 3 samples dropped each epoch

  void test('union over ranks of a step equals the worldSize = 1 batch, N = 1..8', () => {
    for (let step = 0; step < 25; step++) {
      const whole = batchIndices({ seed: 7, step, globalBatch, n });
      for (let worldSize = 1; worldSize <= 8; worldSize++) {
        const parts: number[] = [];
        for (let rank = 0; rank < worldSize; rank++) parts.push(...batchIndices({ seed: 7, step, globalBatch, n, rank, worldSize }));
        assert.deepEqual(parts, [...whole], `step ${step} N ${worldSize}`);
      }
    }
  });

  void test('each epoch is part of a permutation: B·⌊n/B⌋ distinct samples', () => {
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen = new Set<number>();
      for (let j = 0; j < 10; j++) for (const i of batchIndices({ seed: 7, step: epoch * 10 + j, globalBatch, n })) seen.add(i);
      assert.equal(seen.size, 100);
      assert.ok([...seen].every((i) => i >= 0 && i < n));
    }
    // With B dividing n every epoch covers the set exactly.
    const all: number[] = [];
    for (let step = 0; step < 4; step++) all.push(...batchIndices({ seed: 1, step, globalBatch: 5, n: 20 }));
    assert.ok(isPermutation(all, 20));
  });

  void test('epochs differ, the run is deterministic in seed, the cache survives interleaving', () => {
    const e0 = batchIndices({ seed: 7, step: 0, globalBatch, n });
    const e1 = batchIndices({ seed: 7, step: 10, globalBatch, n });
    assert.notDeepEqual(e0, e1);
    const other = batchIndices({ seed: 8, step: 0, globalBatch, n });
    assert.notDeepEqual(e0, other);
    for (let s = 0; s < 6; s++) batchIndices({ seed: 100 + s, step: 0, globalBatch, n }); // evict
    assert.deepEqual(batchIndices({ seed: 7, step: 0, globalBatch, n }), e0);
    e0[0] = -1; // caller owns the result; the cache must not see this
    assert.notEqual(batchIndices({ seed: 7, step: 0, globalBatch, n })[0], -1);
  });

  void test('B > n and bad ranks are errors that say so', () => {
    assert.throws(
      () => batchIndices({ seed: 1, step: 0, globalBatch: 11, n: 10 }),
      (e: unknown) => e instanceof DataError && /globalBatch 11 exceeds .* n = 10/.test(e.message),
    );
    assert.throws(() => batchIndices({ seed: 1, step: 0, globalBatch: 4, n: 10, rank: 2, worldSize: 2 }), /rank must be an integer in \[0, 1\], got 2/);
    assert.throws(() => batchIndices({ seed: 1, step: -1, globalBatch: 4, n: 10 }), /step/);
  });
});

void describe('gatherBatch', () => {
  void test('copies rows and labels, reuses out buffers', () => {
    const { train } = teacherClassificationData({ n: 20, nTest: 2, inputShape: [3], seed: 2 });
    const idx = Int32Array.from([5, 0, 19]);
    const b = gatherBatch(train, idx);
    for (let j = 0; j < 3; j++) {
      assert.deepEqual(b.x.subarray(j * 3, j * 3 + 3), train.x.subarray(idx[j] * 3, idx[j] * 3 + 3));
      assert.equal(b.y[j], train.y[idx[j]]);
    }
    assert.ok(b.y instanceof Int32Array);
    const again = gatherBatch(train, Int32Array.from([1, 2, 3]), b);
    assert.equal(again.x, b.x);
    assert.equal(again.x[0], train.x[3]);
    assert.throws(() => gatherBatch(train, [20]), /indices\[0\] = 20 is outside \[0, 20\)/);
    assert.throws(() => gatherBatch(train, [1, 2], b), /out buffers/);
  });

  void test('regression targets keep yDim and float type', () => {
    const { train } = uvToyData({ n: 8, seed: 1 });
    const b = gatherBatch(train, [7, 3]);
    assert.ok(b.y instanceof Float32Array);
    assert.deepEqual([...b.y], [train.y[7], train.y[3]]);
  });
});

void describe('evalBatchIndices', () => {
  void test('distinct, sorted, in range, deterministic', () => {
    const a = evalBatchIndices({ seed: 3, n: 1000, size: 100 });
    assert.deepEqual(a, evalBatchIndices({ seed: 3, n: 1000, size: 100 }));
    assert.notDeepEqual(a, evalBatchIndices({ seed: 4, n: 1000, size: 100 }));
    assert.equal(new Set(a).size, 100);
    for (let i = 1; i < a.length; i++) assert.ok(a[i - 1] < a[i]);
    assert.ok(a[0] >= 0 && a[99] < 1000);
    assert.throws(() => evalBatchIndices({ seed: 3, n: 10, size: 11 }), /size must be an integer in \[1, 10\], got 11/);
  });
});

void describe('withRandomLabels', () => {
  void test('uniform labels in range, deterministic, features shared', () => {
    const { train } = teacherClassificationData({ n: 5000, nTest: 2, inputShape: [2], seed: 2 });
    const r = withRandomLabels(train, 11);
    assert.equal(r.x, train.x);
    assert.deepEqual(r.y, withRandomLabels(train, 11).y);
    const counts = new Array<number>(10).fill(0);
    for (const c of r.y) counts[c]++;
    // Each count is Binomial(5000, 0.1): sd 21.2; a 6-sd band (±127) fails by chance
    // with odds ~2e-8 over the 10 classes.
    for (const c of counts) assert.ok(Math.abs(c - 500) < 127, counts.join(','));
    let agree = 0;
    for (let i = 0; i < train.n; i++) if (r.y[i] === train.y[i]) agree++;
    assert.ok(agree < 700, `${agree} labels kept`);
    assert.throws(() => withRandomLabels(uvToyData({ n: 2, seed: 1 }).train, 1), /classification/);
  });
});

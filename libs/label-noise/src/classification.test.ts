import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyClassificationNoise } from './apply-classification';
import { flipNoise } from './flip';
import { chiSquareUniform, correlation } from '@lnsgd/random';
import { noNoise } from './none';

// Fixed seeds: deterministic. Bounds are ≥ 5 standard errors (or the 1e-6
// chi-square critical value), so another seed fails a given check with odds < ~1e-6.

const N = 100_000;
const C = 10;
const indices = Int32Array.from({ length: N }, (_, i) => i);
const labels = Int32Array.from({ length: N }, (_, i) => (i * 7) % C);

void describe('applyClassificationNoise', () => {
  const noise = flipNoise({ flipProb: 0.2, numClasses: C });
  const noisy = applyClassificationNoise(noise, { labels, sampleIndices: indices, step: 3, seed: 42 });

  void test('flips a fraction p of the labels', () => {
    // Standard error √(p(1−p)/n) = 1.26e-3; bound 5σ.
    let flips = 0;
    for (let i = 0; i < N; i++) if (noisy[i] !== labels[i]) flips++;
    assert.ok(Math.abs(flips / N - 0.2) < 6.3e-3, `rate ${flips / N}`);
  });

  void test('a flipped label is uniform over the other classes and never the same', () => {
    // Offsets (new − old) mod C in 1…9; df 8, 1e-6 critical value 42.70. And per
    // original class, the new classes are uniform over the 9 others (df 8 each;
    // 10 checks at 1e-6 each).
    const offsets = new Float64Array(C);
    const byClass = Array.from({ length: C }, () => new Float64Array(C));
    for (let i = 0; i < N; i++) {
      if (noisy[i] === labels[i]) continue;
      assert.ok(noisy[i] >= 0 && noisy[i] < C);
      offsets[(noisy[i] - labels[i] + C) % C]++;
      byClass[labels[i]][noisy[i]]++;
    }
    assert.equal(offsets[0], 0);
    const chi2 = chiSquareUniform(offsets.subarray(1));
    assert.ok(chi2 < 42.7, `offset chi2 ${chi2}`);
    for (let y = 0; y < C; y++) {
      const others = Array.from(byClass[y]).filter((_, c) => c !== y);
      assert.equal(byClass[y][y], 0);
      const chi2y = chiSquareUniform(others);
      assert.ok(chi2y < 42.7, `class ${y} chi2 ${chi2y}`);
    }
  });

  void test('flips are independent across samples and steps', () => {
    // Correlation of flip indicators; standard error 1/√n = 3.2e-3; bound 5σ.
    const flipped = Float64Array.from(noisy, (v, i) => (v !== labels[i] ? 1 : 0));
    const next = applyClassificationNoise(noise, { labels, sampleIndices: indices, step: 4, seed: 42 });
    const flippedNext = Float64Array.from(next, (v, i) => (v !== labels[i] ? 1 : 0));
    assert.ok(Math.abs(correlation(flipped.subarray(0, N - 1), flipped.subarray(1))) < 0.016);
    assert.ok(Math.abs(correlation(flipped, flippedNext)) < 0.016);
  });

  void test('with two classes a flip always gives the other class; p = 1 flips all', () => {
    const two = Int32Array.from({ length: 1000 }, (_, i) => i % 2);
    const out = applyClassificationNoise(flipNoise({ flipProb: 1, numClasses: 2 }), {
      labels: two,
      sampleIndices: indices.subarray(0, 1000),
      step: 0,
      seed: 0,
    });
    for (let i = 0; i < 1000; i++) assert.equal(out[i], 1 - two[i]);
  });

  void test('noise for a sample does not depend on batching or order', () => {
    const sampleIndices = Int32Array.from({ length: 256 }, (_, b) => (b * 7919 + 13) % 50_000);
    const y = Int32Array.from(sampleIndices, (i) => i % C);
    const whole = applyClassificationNoise(noise, { labels: y, sampleIndices, step: 9, seed: 5 });
    for (const m of [5, 2, 7, 0, 3, 6, 1, 4]) {
      const part = applyClassificationNoise(noise, {
        labels: y.subarray(m * 32, (m + 1) * 32),
        sampleIndices: sampleIndices.subarray(m * 32, (m + 1) * 32),
        step: 9,
        seed: 5,
      });
      assert.deepEqual(part, whole.subarray(m * 32, (m + 1) * 32));
    }
  });

  void test('is pure, and p = 0 or no noise returns a copy', () => {
    const y = Int32Array.from([0, 1, 2, 3]);
    const at = { labels: y, sampleIndices: [0, 1, 2, 3], step: 1, seed: 1 };
    assert.deepEqual(applyClassificationNoise(noise, at), applyClassificationNoise(noise, at));
    assert.deepEqual(y, Int32Array.from([0, 1, 2, 3]));
    for (const n of [noNoise(), flipNoise({ flipProb: 0, numClasses: 4 })]) {
      const out = applyClassificationNoise(n, at);
      assert.deepEqual(out, y);
      assert.notEqual(out, y);
    }
  });

  void test('rejects bad inputs, naming the function and the value', () => {
    const at = { labels: Int32Array.from([0, 1, 2]), sampleIndices: [0, 1, 2], step: 0, seed: 0 };
    assert.throws(
      () => applyClassificationNoise(noise, { ...at, sampleIndices: [0, 1] }),
      /applyClassificationNoise: labels\.length \(3\) must equal sampleIndices\.length \(2\)/,
    );
    assert.throws(
      () => applyClassificationNoise(noise, { ...at, labels: Int32Array.from([0, 10, 2]) }),
      /labels\[1\] must lie in \[0, numClasses = 10\), got 10/,
    );
    assert.throws(() => applyClassificationNoise(noise, { ...at, labels: Int32Array.from([0, -1, 2]) }), /labels\[1\].*-1/);
    assert.throws(() => applyClassificationNoise({ kind: 'flip', flipProb: 1.5, numClasses: 3 }, at), /applyClassificationNoise: flipProb.*1\.5/);
  });
});

void describe('flipNoise', () => {
  void test('validates p and C', () => {
    assert.throws(() => flipNoise({ flipProb: -0.1, numClasses: 10 }), /flipNoise: flipProb must lie in \[0, 1\], got -0\.1/);
    assert.throws(() => flipNoise({ flipProb: 0.2, numClasses: 1 }), /flipNoise: numClasses.*got 1/);
    assert.throws(() => flipNoise({ flipProb: 0.2, numClasses: 2.5 }), /numClasses.*2\.5/);
    assert.deepEqual(flipNoise({ flipProb: 0.2, numClasses: 10 }), { kind: 'flip', flipProb: 0.2, numClasses: 10 });
  });
});

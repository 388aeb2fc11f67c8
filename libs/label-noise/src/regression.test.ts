import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRegressionNoise } from './apply-regression';
import { gaussianNoise } from './gaussian';
import { correlation, moments } from '@lnsgd/random';
import { noNoise } from './none';
import { rademacherNoise } from './rademacher';

// Fixed seeds make every statistical check deterministic. Bounds are ≥ 5 standard
// errors, so with another seed a correct implementation would fail a given check
// with odds below ~1e-6.

const N = 100_000;
const indices = Int32Array.from({ length: N }, (_, i) => i);

/** The noise ε alone: labels are zero. */
function epsilons(noise: Parameters<typeof applyRegressionNoise>[0], at: { step: number; seed: number; outDim?: number }) {
  const outDim = at.outDim ?? 1;
  return applyRegressionNoise(noise, { labels: new Float32Array(N * outDim), outDim, sampleIndices: indices, step: at.step, seed: at.seed });
}

void describe('applyRegressionNoise', () => {
  void test('Rademacher noise is exactly ±σ with mean 0 and variance σ²', () => {
    // Mean standard error σ/√n = 9.5e-4 at σ = 0.3; bound 5σ.
    const sigma = 0.3;
    const eps = epsilons(rademacherNoise(sigma), { step: 1, seed: 1 });
    const plus = Math.fround(sigma);
    for (const e of eps) assert.ok(e === plus || e === -plus, `value ${e}`);
    const m = moments(eps);
    assert.ok(Math.abs(m.mean) < 4.8e-3, `mean ${m.mean}`);
    // Every ε² is σ², so the second moment E[ε²] = variance + mean² is σ² exactly.
    assert.ok(Math.abs(m.variance + m.mean * m.mean - plus * plus) < 1e-9, `variance ${m.variance}`);
  });

  void test('Gaussian noise has mean 0, variance σ², kurtosis 3', () => {
    // σ = 2: mean s.e. 6.3e-3, variance s.e. σ²·√(2/n) = 1.8e-2, kurtosis s.e. 1.5e-2; bounds 5σ.
    const eps = epsilons(gaussianNoise(2), { step: 3, seed: 9 });
    const m = moments(eps);
    assert.ok(Math.abs(m.mean) < 0.032, `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 4) < 0.09, `variance ${m.variance}`);
    assert.ok(Math.abs(m.kurtosis - 3) < 0.078, `kurtosis ${m.kurtosis}`);
  });

  void test('noise is added to the labels, computed in double and stored float32', () => {
    const labels = Float32Array.from([1.5, -2.25, 7]);
    const sampleIndices = [10, 11, 12];
    const eps = applyRegressionNoise(rademacherNoise(0.1), { labels: new Float32Array(3), sampleIndices, step: 4, seed: 2 });
    const noisy = applyRegressionNoise(rademacherNoise(0.1), { labels, sampleIndices, step: 4, seed: 2 });
    for (let b = 0; b < 3; b++) assert.equal(noisy[b], Math.fround(labels[b] + Math.sign(eps[b]) * 0.1));
  });

  void test('noise is independent across samples, steps, components and seeds', () => {
    // Correlation standard error 1/√n = 3.2e-3; bound 5σ.
    for (const noise of [rademacherNoise(1), gaussianNoise(1)]) {
      const base = epsilons(noise, { step: 5, seed: 1 });
      const shifted = base.subarray(1);
      assert.ok(Math.abs(correlation(base.subarray(0, N - 1), shifted)) < 0.016, `${noise.kind} samples`);
      assert.ok(Math.abs(correlation(base, epsilons(noise, { step: 6, seed: 1 }))) < 0.016, `${noise.kind} steps`);
      assert.ok(Math.abs(correlation(base, epsilons(noise, { step: 5, seed: 2 }))) < 0.016, `${noise.kind} seeds`);
      const two = epsilons(noise, { step: 5, seed: 1, outDim: 2 });
      const c0 = new Float64Array(N);
      const c1 = new Float64Array(N);
      for (let i = 0; i < N; i++) {
        c0[i] = two[2 * i];
        c1[i] = two[2 * i + 1];
      }
      assert.ok(Math.abs(correlation(c0, c1)) < 0.016, `${noise.kind} components`);
      // Component 0 of a multi-output label is the same draw as a scalar label.
      assert.deepEqual(Float32Array.from(c0), base);
    }
  });

  void test('noise for a sample does not depend on batching or order', () => {
    // A global batch of 256 (indices as a data permutation would give) against 8
    // micro-batches of 32 processed in a scrambled order.
    const outDim = 3;
    const sampleIndices = Int32Array.from({ length: 256 }, (_, b) => (b * 7919 + 13) % 50_000);
    const labels = Float32Array.from({ length: 256 * outDim }, (_, k) => Math.sin(k));
    for (const noise of [rademacherNoise(0.5), gaussianNoise(0.5)]) {
      const whole = applyRegressionNoise(noise, { labels, outDim, sampleIndices, step: 77, seed: 5 });
      for (const m of [5, 2, 7, 0, 3, 6, 1, 4]) {
        const part = applyRegressionNoise(noise, {
          labels: labels.subarray(m * 32 * outDim, (m + 1) * 32 * outDim),
          outDim,
          sampleIndices: sampleIndices.subarray(m * 32, (m + 1) * 32),
          step: 77,
          seed: 5,
        });
        assert.deepEqual(part, whole.subarray(m * 32 * outDim, (m + 1) * 32 * outDim));
      }
    }
  });

  void test('is pure: same inputs give the same output, inputs are not modified', () => {
    const labels = Float32Array.from([1, 2, 3, 4]);
    const sampleIndices = [3, 1, 4, 1];
    const a = applyRegressionNoise(gaussianNoise(1), { labels, sampleIndices, step: 0, seed: 0 });
    const b = applyRegressionNoise(gaussianNoise(1), { labels, sampleIndices, step: 0, seed: 0 });
    assert.deepEqual(a, b);
    assert.notEqual(a, labels);
    assert.deepEqual(labels, Float32Array.from([1, 2, 3, 4]));
    assert.deepEqual(sampleIndices, [3, 1, 4, 1]);
  });

  void test('no noise and σ = 0 return a copy of the labels', () => {
    const labels = Float32Array.from([1, 2, 3]);
    for (const noise of [noNoise(), rademacherNoise(0), gaussianNoise(0)]) {
      const out = applyRegressionNoise(noise, { labels, sampleIndices: [0, 1, 2], step: 1, seed: 1 });
      assert.deepEqual(out, labels);
      assert.notEqual(out, labels);
    }
  });

  void test('rejects bad inputs, naming the function and the value', () => {
    const ok = { labels: new Float32Array(4), sampleIndices: [0, 1, 2, 3], step: 0, seed: 0 };
    const noise = rademacherNoise(1);
    assert.throws(
      () => applyRegressionNoise(noise, { ...ok, labels: new Float32Array(3) }),
      /applyRegressionNoise: labels\.length \(3\) must equal sampleIndices\.length \(4\) × outDim \(1\)/,
    );
    assert.throws(() => applyRegressionNoise(noise, { ...ok, outDim: 2 }), /labels\.length \(4\).*outDim \(2\)/);
    assert.throws(() => applyRegressionNoise(noise, { ...ok, outDim: 0 }), /outDim must be an integer >= 1, got 0/);
    assert.throws(() => applyRegressionNoise(noise, { ...ok, sampleIndices: [0, 1, -2, 3] }), /sampleIndices\[2\].*-2/);
    assert.throws(() => applyRegressionNoise(noise, { ...ok, step: 1.5 }), /applyRegressionNoise: step.*1\.5/);
    assert.throws(() => applyRegressionNoise(noise, { ...ok, seed: -1 }), /applyRegressionNoise: seed.*-1/);
    assert.throws(() => applyRegressionNoise({ kind: 'gaussian', sigma: Number.NaN }, ok), /applyRegressionNoise: sigma.*NaN/);
    assert.throws(() => applyRegressionNoise({ kind: 'bogus' } as never, ok), /unknown noise kind "bogus"/);
  });
});

void describe('noise factories', () => {
  void test('validate σ', () => {
    assert.throws(() => rademacherNoise(-1), /rademacherNoise: sigma must be finite and >= 0, got -1/);
    assert.throws(() => gaussianNoise(Number.POSITIVE_INFINITY), /gaussianNoise: sigma.*Infinity/);
    assert.deepEqual(rademacherNoise(0.5), { kind: 'rademacher', sigma: 0.5 });
    assert.deepEqual(gaussianNoise(0.5), { kind: 'gaussian', sigma: 0.5 });
    assert.deepEqual(noNoise(), { kind: 'none' });
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CounterRng } from './counter-rng';
import { RngDomain } from './domain';
import { chiSquareUniform, correlation, moments } from './sample_statistics';

// Statistical checks use fixed seeds, so they are deterministic; each bound is
// ≥ 5 standard errors wide, so a correct generator with another seed would fail one
// check with odds below ~1e-6 (stated per test).

const N = 200_000;

function draw(n: number, f: (i: number) => number): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = f(i);
  return xs;
}

void describe('CounterRng point draws', () => {
  const rng = new CounterRng(2021, RngDomain.LABEL_NOISE);

  void test('same inputs give the same outputs, across instances', () => {
    const other = new CounterRng(2021, RngDomain.LABEL_NOISE);
    for (let i = 0; i < 100; i++) {
      assert.equal(rng.uniform(3, i, 1), other.uniform(3, i, 1));
      assert.equal(rng.normal(3, i), other.normal(3, i));
      assert.deepEqual(rng.uint32x4(i), other.uint32x4(i));
    }
  });

  void test('seed and domain both change the stream', () => {
    const a = new CounterRng(2022, RngDomain.LABEL_NOISE).uint32x4(0, 0, 0);
    const b = new CounterRng(2021, RngDomain.PROBES).uint32x4(0, 0, 0);
    assert.notDeepEqual(rng.uint32x4(0, 0, 0), a);
    assert.notDeepEqual(rng.uint32x4(0, 0, 0), b);
  });

  void test('uniform lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    // Standard errors: mean 6.5e-4, variance 1.7e-4; bounds are 5σ (odds ~6e-7 each).
    const xs = draw(N, (i) => rng.uniform(1, i));
    for (const x of xs) assert.ok(x >= 0 && x < 1);
    const m = moments(xs);
    assert.ok(Math.abs(m.mean - 0.5) < 3.3e-3, `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 1 / 12) < 8.5e-4, `variance ${m.variance}`);
  });

  void test('normal has mean 0, variance 1, kurtosis 3', () => {
    // Standard errors: mean 2.2e-3, variance 3.2e-3, kurtosis 1.1e-2; bounds 5σ.
    const m = moments(draw(N, (i) => rng.normal(2, i, 7)));
    assert.ok(Math.abs(m.mean) < 0.0112, `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 1) < 0.0159, `variance ${m.variance}`);
    assert.ok(Math.abs(m.kurtosis - 3) < 0.055, `kurtosis ${m.kurtosis}`);
  });

  void test('rademacher is ±1 with mean 0', () => {
    // Standard error 2.2e-3; bound 5σ.
    const xs = draw(N, (i) => rng.rademacher(4, i));
    for (const x of xs) assert.ok(x === 1 || x === -1);
    assert.ok(Math.abs(moments(xs).mean) < 0.0112);
  });

  void test('neighbouring coordinates and neighbouring seeds are uncorrelated', () => {
    // Correlation of independent samples has standard error 1/√n = 2.2e-3; bound 5σ.
    const n = N;
    const next = new CounterRng(2022, RngDomain.LABEL_NOISE);
    const base = draw(n, (i) => rng.normal(5, i));
    assert.ok(
      Math.abs(
        correlation(
          base,
          draw(n, (i) => rng.normal(5, i + 1)),
        ),
      ) < 0.0112,
      'samples',
    );
    assert.ok(
      Math.abs(
        correlation(
          base,
          draw(n, (i) => rng.normal(6, i)),
        ),
      ) < 0.0112,
      'steps',
    );
    assert.ok(
      Math.abs(
        correlation(
          base,
          draw(n, (i) => rng.normal(5, i, 1)),
        ),
      ) < 0.0112,
      'components',
    );
    assert.ok(
      Math.abs(
        correlation(
          base,
          draw(n, (i) => next.normal(5, i)),
        ),
      ) < 0.0112,
      'seeds',
    );
  });

  void test('rejects bad coordinates, naming the method and the coordinate', () => {
    assert.throws(() => rng.uniform(-1), /CounterRng\.uniform: coordinate a .*-1/);
    assert.throws(() => rng.normal(0, 1.5), /CounterRng\.normal: coordinate b .*1\.5/);
    assert.throws(() => rng.uint32x4(0, 0, 2 ** 32), /CounterRng\.uint32x4: coordinate c/);
    assert.throws(() => rng.rademacher(Number.NaN), RangeError);
  });

  void test('constructor rejects bad seeds', () => {
    assert.throws(() => new CounterRng(-3, RngDomain.MODEL_INIT), /seed.*-3/);
  });
});

void describe('CounterRng.randomInt', () => {
  const rng = new CounterRng(7, RngDomain.RANDOM_LABELS);

  for (const n of [7, 10]) {
    void test(`is uniform on [0, ${n}) (chi-square)`, () => {
      // 10^-6 critical values: df 6 → 38.26, df 9 → 44.81 (false-failure odds 1e-6).
      const counts = new Float64Array(n);
      for (let i = 0; i < 10_000 * n; i++) {
        const k = rng.randomInt(n, 0, i);
        assert.ok(Number.isInteger(k) && k >= 0 && k < n);
        counts[k]++;
      }
      const chi2 = chiSquareUniform(counts);
      assert.ok(chi2 < (n === 7 ? 38.26 : 44.81), `chi2 ${chi2}`);
    });
  }

  void test('has no modulo bias near 2^32', () => {
    // n = 3·2^30: a plain `word % n` would put half of all draws below 2^30 instead
    // of a third. Standard error 2.7e-3 at 30k draws; bound 5.5σ.
    const n = 3 * 2 ** 30;
    let below = 0;
    const draws = 30_000;
    for (let i = 0; i < draws; i++) if (rng.randomInt(n, 1, i) < 2 ** 30) below++;
    assert.ok(Math.abs(below / draws - 1 / 3) < 0.015, `fraction ${below / draws}`);
  });

  void test('handles the extremes n = 1 and n = 2^32', () => {
    assert.equal(rng.randomInt(1, 5), 0);
    const k = rng.randomInt(2 ** 32, 5);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 2 ** 32);
  });

  void test('is deterministic and independent of point draws at the same coordinates', () => {
    assert.equal(rng.randomInt(1000, 3, 4), rng.randomInt(1000, 3, 4));
    // Point draws use another counter tag: with n = 2^32 randomInt returns its first
    // word unchanged, which must differ from the point block's word 0.
    let equal = 0;
    for (let i = 0; i < 1000; i++) if (rng.randomInt(2 ** 32, 3, i) === rng.uint32x4(3, i)[0]) equal++;
    assert.equal(equal, 0);
  });

  void test('rejects bad n', () => {
    assert.throws(() => rng.randomInt(0, 1), /CounterRng\.randomInt: n .*got 0/);
    assert.throws(() => rng.randomInt(2.5, 1), /n .*2\.5/);
    assert.throws(() => rng.randomInt(2 ** 32 + 1, 1), RangeError);
  });
});

void describe('CounterRng.permutation', () => {
  const rng = new CounterRng(11, RngDomain.DATA_PERMUTATION);

  void test('is a permutation', () => {
    for (const n of [0, 1, 2, 17, 1000]) {
      const p = rng.permutation(n, 0);
      assert.equal(p.length, n);
      assert.deepEqual(
        Array.from(p).sort((a, b) => a - b),
        Array.from({ length: n }, (_, i) => i),
      );
    }
  });

  void test('is deterministic and differs across epochs and seeds', () => {
    assert.deepEqual(rng.permutation(1000, 3), rng.permutation(1000, 3));
    assert.notDeepEqual(rng.permutation(1000, 3), rng.permutation(1000, 4));
    assert.notDeepEqual(rng.permutation(1000, 3), new CounterRng(12, RngDomain.DATA_PERMUTATION).permutation(1000, 3));
  });

  void test('draws all 24 orders of 4 items equally often (chi-square)', () => {
    // 24 000 epochs; df 23, 10^-6 critical value 70.55 (false-failure odds 1e-6).
    const counts = new Map<string, number>();
    for (let e = 0; e < 24_000; e++) {
      const key = rng.permutation(4, e).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.equal(counts.size, 24);
    const chi2 = chiSquareUniform([...counts.values()]);
    assert.ok(chi2 < 70.55, `chi2 ${chi2}`);
  });

  void test('rejects bad n', () => {
    assert.throws(() => rng.permutation(-1, 0), /CounterRng\.permutation: n .*-1/);
    assert.throws(() => rng.permutation(2 ** 31, 0), RangeError);
  });
});

void describe('CounterRng bulk fills', () => {
  const rng = new CounterRng(3, RngDomain.MODEL_INIT);

  void test('fillNormal has mean 0, variance 1, kurtosis 3', () => {
    // Same 5σ bounds as the point normal (n = 200 000).
    const m = moments(rng.fillNormal(new Float64Array(N), { a: 0 }));
    assert.ok(Math.abs(m.mean) < 0.0112, `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 1) < 0.0159, `variance ${m.variance}`);
    assert.ok(Math.abs(m.kurtosis - 3) < 0.055, `kurtosis ${m.kurtosis}`);
  });

  void test('fillNormal applies mean and std', () => {
    // Mean standard error 0.5/√n = 1.1e-3 → bound 5.6e-3; variance 0.25·3.2e-3 → 4e-3.
    const m = moments(rng.fillNormal(new Float64Array(N), { a: 1, mean: 3, std: 0.5 }));
    assert.ok(Math.abs(m.mean - 3) < 5.6e-3);
    assert.ok(Math.abs(m.variance - 0.25) < 4e-3);
  });

  void test('a slice filled on its own equals that slice of the whole fill', () => {
    for (const kind of ['normal', 'uniform', 'rademacher'] as const) {
      const fill = (out: Float64Array, offset: number) =>
        kind === 'normal'
          ? rng.fillNormal(out, { a: 2, b: 5, offset })
          : kind === 'uniform'
            ? rng.fillUniform(out, { a: 2, b: 5, offset })
            : rng.fillRademacher(out, { a: 2, b: 5, offset });
      const whole = fill(new Float64Array(1000), 0);
      for (const [offset, len] of [
        [0, 3],
        [3, 1],
        [5, 130],
        [127, 300],
        [999, 1],
      ]) {
        assert.deepEqual(fill(new Float64Array(len), offset), whole.subarray(offset, offset + len), `${kind} ${offset}`);
      }
    }
  });

  void test('a Float32Array fill is the float32 rounding of the Float64Array fill', () => {
    const f64 = rng.fillNormal(new Float64Array(1000), { a: 9, std: 0.1 });
    const f32 = rng.fillNormal(new Float32Array(1000), { a: 9, std: 0.1 });
    assert.deepEqual(f32, Float32Array.from(f64));
  });

  void test('fillUniform lies in [low, high) with the right mean', () => {
    // Mean standard error 4/√12/√n = 2.6e-3; bound 5σ.
    const xs = rng.fillUniform(new Float64Array(N), { a: 3, low: -2, high: 2 });
    for (const x of xs) assert.ok(x >= -2 && x < 2);
    assert.ok(Math.abs(moments(xs).mean) < 0.013);
  });

  void test('fillRademacher gives ±scale with mean 0', () => {
    // Mean standard error 0.5/√n; bound 5σ.
    const xs = rng.fillRademacher(new Float32Array(N), { a: 4, scale: 0.5 });
    for (const x of xs) assert.ok(x === 0.5 || x === -0.5);
    assert.ok(Math.abs(moments(xs).mean) < 5.6e-3);
  });

  void test('different coordinates give uncorrelated fills', () => {
    // Standard error 1/√n; bound 5σ.
    const x = rng.fillNormal(new Float64Array(N), { a: 5 });
    const y = rng.fillNormal(new Float64Array(N), { a: 5, b: 1 });
    const z = rng.fillNormal(new Float64Array(N), { a: 6 });
    assert.ok(Math.abs(correlation(x, y)) < 0.0112);
    assert.ok(Math.abs(correlation(x, z)) < 0.0112);
  });

  void test('rejects bad options, naming the method and the option', () => {
    assert.throws(() => rng.fillNormal(new Float32Array(4), { a: 0, std: Number.NaN }), /CounterRng\.fillNormal: std/);
    assert.throws(() => rng.fillUniform(new Float32Array(4), { a: 0, low: 1, high: 0 }), /fillUniform: need low <= high/);
    assert.throws(() => rng.fillRademacher(new Float32Array(4), { a: -1 }), /fillRademacher: coordinate a/);
    assert.throws(() => rng.fillNormal(new Float32Array(4), { a: 0, offset: -4 }), /fillNormal: offset.*-4/);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { linregDiagData, quadraticSparseData, teacherClassificationData, uvToyData } from './index';
import { fillNormal } from './internal/rng';

void describe('internal rng shim', () => {
  void test('normals have mean 0 and variance 1', () => {
    // 2e5 draws: the mean's sd is 2.2e-3 and the variance's sd ≈ 3.2e-3; a 6-sd band
    // fails by chance with odds ~2e-9 (and the seed is fixed anyway).
    const x = new Float64Array(200_000);
    fillNormal(x, { seed: 5, domain: 'DATA_SYNTHESIS' });
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    assert.ok(Math.abs(mean) < 6 * 2.3e-3, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 6 * 3.2e-3, `variance ${variance}`);
  });
});

void describe('uvToyData', () => {
  void test('y = x, shapes, meanXSquared, deterministic in seed', () => {
    const a = uvToyData({ n: 100, nTest: 10, seed: 1 });
    const b = uvToyData({ n: 100, nTest: 10, seed: 1 });
    const c = uvToyData({ n: 100, nTest: 10, seed: 2 });
    assert.deepEqual(a.train.x, b.train.x);
    assert.notDeepEqual(a.train.x, c.train.x);
    assert.notDeepEqual(a.train.x.subarray(0, 10), a.test.x);
    assert.deepEqual(a.train.y, a.train.x);
    assert.equal(a.test.n, 10);
    assert.deepEqual(a.train.xShape, [1]);
    const m = a.train.x.reduce((s, v) => s + v * v, 0) / 100;
    assert.ok(Math.abs((a.meta?.['meanXSquared'] as number) - m) < 1e-12);
  });
});

void describe('quadraticSparseData', () => {
  void test('w* has k ones and y = <w*, x>', () => {
    const { train, test, meta } = quadraticSparseData({ seed: 3, nTest: 50 });
    const wStar = meta?.['wStar'] as Float32Array;
    assert.equal(train.n, 40);
    assert.equal(test.n, 50);
    assert.deepEqual(train.xShape, [100]);
    assert.equal(
      wStar.reduce((s, v) => s + v, 0),
      5,
    );
    assert.equal((meta?.['support'] as Int32Array).length, 5);
    for (const ds of [train, test]) {
      for (let i = 0; i < ds.n; i++) {
        let s = 0;
        for (let j = 0; j < 100; j++) s += wStar[j] * ds.x[i * 100 + j];
        assert.ok(Math.abs(s - ds.y[i]) < 1e-5);
      }
    }
    const other = quadraticSparseData({ seed: 4 }).meta?.['support'] as Int32Array;
    assert.notDeepEqual(other, meta?.['support']);
  });
});

void describe('linregDiagData', () => {
  void test('XᵀX/n is diag(i/d) with λ_max 1 and trace (d+1)/2', () => {
    const d = 1000;
    const { train } = linregDiagData({ d });
    assert.equal(train.n, d);
    // XᵀX/n: every row has one non-zero, so the product is diagonal.
    let trace = 0;
    let nonZeros = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const v = train.x[i * d + j];
        if (v !== 0) {
          nonZeros++;
          assert.equal(j, i);
          const h = (v * v) / d;
          // x_i = fl32(√i): x_i² equals i up to float32 rounding of √i (relative 2⁻²³).
          assert.ok(Math.abs(h - (i + 1) / d) < 2.5e-7 * h, `H[${i}] = ${h}`);
          trace += h;
        }
      }
    }
    assert.equal(nonZeros, d);
    assert.ok(Math.abs(trace - 500.5) < 1e-4, `trace ${trace}`);
    assert.ok(train.y.every((v) => v === 0));
  });

  void test('a teacher seed gives y_i = √i θ*_i', () => {
    const { train, meta } = linregDiagData({ d: 10, teacherSeed: 9 });
    const thetaStar = meta?.['thetaStar'] as Float32Array;
    assert.ok(thetaStar.some((v) => v !== 0));
    for (let i = 0; i < 10; i++) assert.ok(Math.abs(train.y[i] - Math.sqrt(i + 1) * thetaStar[i]) < 1e-6);
  });
});

void describe('teacherClassificationData', () => {
  void test('labels in range, several classes, deterministic, shaped', () => {
    const a = teacherClassificationData({ n: 300, nTest: 50, inputShape: [28, 28, 1], seed: 1 });
    const b = teacherClassificationData({ n: 300, nTest: 50, inputShape: [28, 28, 1], seed: 1 });
    assert.deepEqual(a.train.y, b.train.y);
    assert.deepEqual(a.train.xShape, [28, 28, 1]);
    assert.equal(a.train.x.length, 300 * 784);
    assert.ok(a.train.y.every((c) => c >= 0 && c < 10));
    const counts = a.meta?.['classCounts'] as Int32Array;
    const present = counts.filter((c) => c > 0).length;
    assert.ok(present >= 5, `only ${present} classes present: ${counts.join(',')}`);
    console.log(`teacher class counts (n=300, seed 1): ${counts.join(' ')}`);
  });

  void test('rejects bad shapes', () => {
    assert.throws(() => teacherClassificationData({ seed: 1, inputShape: [0, 3] }), /inputShape/);
  });
});

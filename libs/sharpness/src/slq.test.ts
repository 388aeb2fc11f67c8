import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { explicitHvp } from './explicit_hvp';
import { lanczos } from './lanczos';
import { slq, slqTraceOf } from './slq';
import { spectralDensity } from './spectral_density';
import { diagonalMatrix, linregDiagEigenvalues, symmetricWithSpectrum } from './internal/known_spectrum';

const sum = (xs: ArrayLike<number>, f: (x: number) => number): number => Array.from(xs).reduce((a, x) => a + f(x), 0);

void describe('slq', () => {
  const n = 120;
  // Indefinite spectrum with three outliers, inside (−∞, 2) so log(1 − x/2) is defined.
  const spectrum = Float64Array.from({ length: n }, (_, i) => (i < 3 ? 1.9 - 0.1 * i : -0.5 + Math.abs(Math.sin(i))));
  const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 41), n);
  const fns: [string, (x: number) => number][] = [
    ['x', (x) => x],
    ['x²', (x) => x * x],
    ['log(1 − x/2)', (x) => Math.log1p(-x / 2)],
    ['exp(x)', (x) => Math.exp(x)],
  ];

  for (const [name, f] of fns) {
    void test(`tr f(H) for f = ${name} matches the exact sum within 4 stderr (n = 120, QΛQᵀ)`, () => {
      // Under a normal approximation the 4-stderr window fails with odds ~1e-4 per case.
      const r = slq(hvp, { dim: n, probes: 30, steps: 20, seed: 1 });
      const est = slqTraceOf(f, r);
      const exact = sum(spectrum, f);
      assert.equal(r.hvpCount, 30 * 20);
      assert.ok(Math.abs(est.value - exact) <= 4 * est.stderr, `${name}: ${est.value} ± ${est.stderr} vs ${exact}`);
      assert.ok(Math.abs(est.value - exact) <= 0.1 * Math.abs(exact), `${name}: ${est.value} vs ${exact}`);
    });
  }

  void test('deflating the top Ritz pairs cuts the stderr of tr log(1 − H/2) and stays unbiased', () => {
    const f = (x: number): number => Math.log1p(-x / 2);
    const exact = sum(spectrum, f);
    const plain = slqTraceOf(f, slq(hvp, { dim: n, probes: 30, steps: 20, seed: 2 }));
    const top = lanczos(hvp, { dim: n, steps: 20, k: 3, seed: 2, returnVectors: true });
    const deflation = { values: top.values, vectors: top.vectors! };
    const defl = slqTraceOf(f, slq(hvp, { dim: n, probes: 30, steps: 20, seed: 2, deflation }));
    console.log(
      `slq log(1 − x/2): exact ${exact.toFixed(4)}, plain ${plain.value.toFixed(4)} ± ${plain.stderr.toFixed(4)}, deflated ${defl.value.toFixed(4)} ± ${defl.stderr.toFixed(4)}`,
    );
    assert.ok(defl.stderr < 0.5 * plain.stderr, `${defl.stderr} vs ${plain.stderr}`);
    assert.ok(Math.abs(defl.value - exact) <= 4 * defl.stderr + 1e-9);
  });

  void test('diag(k/d), d = 1000: trace and tr log(1 − H/2) within 1%', () => {
    const d = 1000;
    const eig = linregDiagEigenvalues(d);
    const r = slq(explicitHvp(diagonalMatrix(eig), d), { dim: d, probes: 4, steps: 15, seed: 3 });
    const tr = slqTraceOf((x) => x, r);
    const lg = slqTraceOf((x) => Math.log1p(-x / 2), r);
    assert.ok(Math.abs(tr.value - 500.5) < 1e-6 * 500.5);
    const exact = sum(eig, (x) => Math.log1p(-x / 2));
    assert.ok(Math.abs(lg.value - exact) < 0.01 * Math.abs(exact), `${lg.value} vs ${exact}`);
  });

  void test('a single probe reports stderr +Infinity, not NaN', () => {
    const r = slqTraceOf((x) => x, slq(hvp, { dim: n, probes: 1, steps: 5, seed: 4 }));
    assert.equal(r.stderr, Number.POSITIVE_INFINITY);
  });

  void test('deflating a full basis leaves nothing to sample: exact result', () => {
    const small = [3, 1, -2, 0.5];
    const h = explicitHvp(symmetricWithSpectrum(small, 42), 4);
    const top = lanczos(h, { dim: 4, steps: 4, k: 4, seed: 5, returnVectors: true });
    const r = slq(h, { dim: 4, probes: 3, steps: 4, seed: 5, deflation: { values: top.values, vectors: top.vectors! } });
    const est = slqTraceOf((x) => x * x, r);
    assert.ok(Math.abs(est.value - sum(small, (x) => x * x)) < 1e-10);
  });

  void test('rejects a deflation of the wrong shape', () => {
    assert.throws(
      () => slq(hvp, { dim: n, probes: 1, steps: 2, seed: 1, deflation: { values: [1], vectors: [new Float64Array(3)] } }),
      /slq: deflation vector has length 3, expected dim = 120/,
    );
  });
});

void describe('spectralDensity', () => {
  void test('uniform spectrum on [0, 1]: integrates to 1, mean = tr/n, flat ≈ 1 inside', () => {
    const d = 1000;
    const r = slq(explicitHvp(diagonalMatrix(linregDiagEigenvalues(d)), d), { dim: d, probes: 3, steps: 40, seed: 6 });
    const grid = Array.from({ length: 801 }, (_, i) => -1 + (3 * i) / 800);
    const dens = spectralDensity(r, { grid, sigma: 0.05 });
    const dt = 3 / 800;
    let mass = 0;
    let mean = 0;
    for (let i = 0; i < grid.length; i++) {
      mass += dens[i] * dt;
      mean += grid[i] * dens[i] * dt;
    }
    assert.ok(Math.abs(mass - 1) < 1e-3, `mass ${mass}`);
    assert.ok(Math.abs(mean - 0.5005) < 1e-3, `mean ${mean}`);
    const mid = dens[grid.findIndex((t) => t >= 0.5)];
    assert.ok(Math.abs(mid - 1) < 0.1, `density at 0.5: ${mid}`);
  });

  void test('rejects sigma ≤ 0', () => {
    const r = slq(explicitHvp(diagonalMatrix([1, 2]), 2), { dim: 2, probes: 1, steps: 2, seed: 1 });
    assert.throws(() => spectralDensity(r, { grid: [0], sigma: 0 }), /spectralDensity: sigma must be a finite number > 0, got 0/);
  });
});

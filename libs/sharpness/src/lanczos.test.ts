import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { explicitHvp } from './explicit_hvp';
import { lanczos } from './lanczos';
import { diagonalMatrix, linregDiagEigenvalues, symmetricWithSpectrum } from './internal/known_spectrum';

void describe('lanczos', () => {
  const d = 1000;
  const diagHvp = explicitHvp(diagonalMatrix(linregDiagEigenvalues(d)), d);

  void test('linreg-diag d = 1000: λ_max within 1% in ≤ 30 HVPs, residual bound honest', () => {
    const r = lanczos(diagHvp, { dim: d, steps: 30, seed: 1 });
    assert.ok(r.hvpCount <= 30, `hvpCount ${r.hvpCount}`);
    assert.equal(r.hvpCount, r.steps);
    assert.ok(Math.abs(r.values[0] - 1) < 0.01, `θ1 = ${r.values[0]}`);
    assert.ok(r.values[0] <= 1 + 1e-12, 'a Ritz value never exceeds λ_max');
    assert.ok(Math.abs(1 - r.values[0]) <= r.residuals[0], `|1 − θ| = ${1 - r.values[0]} > residual ${r.residuals[0]}`);
  });

  void test('linreg-diag: every top-k Ritz value has an eigenvalue within its residual', () => {
    const r = lanczos(diagHvp, { dim: d, steps: 30, k: 4, seed: 2 });
    assert.equal(r.values.length, 4);
    for (let i = 0; i < 4; i++) {
      if (i > 0) assert.ok(r.values[i] <= r.values[i - 1]);
      // Nearest eigenvalue k/d to θ.
      const nearest = Math.min(1, Math.max(1 / d, Math.round(r.values[i] * d) / d));
      assert.ok(Math.abs(nearest - r.values[i]) <= r.residuals[i] + 1e-15);
    }
  });

  void test('Ritz residuals equal the explicit ‖Hy − θy‖ of the returned vectors', () => {
    const spectrum = Float64Array.from({ length: 80 }, (_, i) => Math.sin(i) * 2 + (i < 3 ? 5 + i : 0));
    const n = spectrum.length;
    const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 3), n);
    const r = lanczos(hvp, { dim: n, steps: 25, k: 3, seed: 4, returnVectors: true });
    for (let i = 0; i < 3; i++) {
      const y = r.vectors![i];
      const hy = hvp(y);
      let res = 0;
      let nrm = 0;
      for (let t = 0; t < n; t++) {
        res += (hy[t] - r.values[i] * y[t]) ** 2;
        nrm += y[t] * y[t];
      }
      assert.ok(Math.abs(Math.sqrt(nrm) - 1) < 1e-10);
      assert.ok(Math.abs(Math.sqrt(res) - r.residuals[i]) < 1e-8 * Math.max(1, r.residuals[i]), `${Math.sqrt(res)} vs ${r.residuals[i]}`);
    }
  });

  void test('separated top-3 with negative eigenvalues (n = 150): exact to 1e-8, early stop on tol', () => {
    const n = 150;
    const spectrum = Float64Array.from({ length: n }, (_, i) => -1.5 + (2.5 * i) / n);
    spectrum[0] = 9;
    spectrum[1] = 7;
    spectrum[2] = 6.5;
    const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 11), n);
    const r = lanczos(hvp, { dim: n, steps: 100, k: 3, seed: 5, tol: 1e-10 });
    assert.ok(r.converged);
    assert.ok(r.hvpCount < 100, `early stop expected, used ${r.hvpCount}`);
    for (const [i, exact] of [9, 7, 6.5].entries()) {
      assert.ok(Math.abs(r.values[i] - exact) < 1e-8, `θ${i} = ${r.values[i]}`);
      assert.ok(Math.abs(r.values[i] - exact) <= r.residuals[i] + 1e-12);
    }
  });

  void test('clustered top eigenvalues: full reorthogonalization gives no spurious copies', () => {
    const n = 120;
    const spectrum = Float64Array.from({ length: n }, (_, i) => (i < 4 ? 3 - 1e-3 * i : Math.cos(i)));
    const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 12), n);
    const r = lanczos(hvp, { dim: n, steps: 60, k: 5, seed: 6 });
    const exact = [3, 2.999, 2.998, 2.997];
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(r.values[i] - exact[i]) < 1e-6, `θ${i} = ${r.values[i]} vs ${exact[i]}`);
    // The 5th sits at the top of the dense cos bulk: not converged, but ≤ the bulk's max and no copy of 3.
    const bulkMax = Math.max(...Array.from(spectrum.slice(4)));
    assert.ok(r.values[4] <= bulkMax + 1e-12 && bulkMax - r.values[4] <= r.residuals[4]);
  });

  void test('steps ≥ n finds the whole spectrum and stops on the invariant subspace', () => {
    const spectrum = [4, 2, 2, -1, 0.5, 3];
    const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 13), 6);
    const r = lanczos(hvp, { dim: 6, steps: 50, k: 2, seed: 7 });
    assert.ok(r.hvpCount <= 6);
    assert.ok(r.converged);
    assert.ok(Math.abs(r.values[0] - 4) < 1e-12 && Math.abs(r.values[1] - 3) < 1e-12);
  });

  void test('rejects bad arguments and a wrong-length HVP, naming function and value', () => {
    assert.throws(() => lanczos(diagHvp, { dim: 0, steps: 3, seed: 1 }), /lanczos: dim must be an integer >= 1, got 0/);
    assert.throws(() => lanczos(diagHvp, { dim: d, steps: 3, k: 4, seed: 1 }), /lanczos: k = 4 exceeds steps = 3/);
    assert.throws(() => lanczos(() => new Float64Array(3), { dim: 4, steps: 3, seed: 1 }), /lanczos: hvp returned length 3, expected dim = 4/);
    assert.throws(() => lanczos(() => new Float64Array(4).fill(Number.NaN), { dim: 4, steps: 3, seed: 1 }), /non-finite/);
  });
});

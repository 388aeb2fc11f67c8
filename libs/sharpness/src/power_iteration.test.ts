import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { explicitHvp } from './explicit_hvp';
import { lanczos } from './lanczos';
import { powerIteration } from './power_iteration';
import { symmetricWithSpectrum } from './internal/known_spectrum';

void describe('powerIteration', () => {
  void test('well-separated top eigenvalue: converges, residual bound honest', () => {
    const n = 60;
    const spectrum = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 10 : i / n));
    const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 21), n);
    const r = powerIteration(hvp, { dim: n, seed: 1, tol: 1e-12 });
    assert.ok(Math.abs(r.value - 10) < 1e-9, `${r.value}`);
    assert.ok(Math.abs(r.value - 10) <= r.residual + 1e-12);
    assert.ok(r.hvpCount < 100);
    assert.equal(r.hvpCount, r.iterations);
  });

  void test("on a dense top spectrum PyHessian's change rule stops early and short; Lanczos does not", () => {
    const n = 200;
    const spectrum = Float64Array.from({ length: n }, (_, i) => (i + 1) / n);
    const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 22), n);
    const p = powerIteration(hvp, { dim: n, seed: 2 });
    const l = lanczos(hvp, { dim: n, steps: p.hvpCount, seed: 2 });
    assert.ok(Math.abs(l.values[0] - 1) < Math.abs(p.value - 1), `lanczos ${l.values[0]} vs power ${p.value}`);
    // The residual bounds the distance to some eigenvalue (not necessarily the largest:
    // on this dense spectrum the stopped iterate can sit nearest a lower one).
    const nearest = Math.min(...Array.from(spectrum, (x) => Math.abs(x - p.value)));
    assert.ok(nearest <= p.residual, `${p.value} ± ${p.residual}`);
    assert.ok(1 - p.value > 0.005, `power iteration stopped at ${p.value}, short of λ_max = 1`);
  });

  void test('finds the largest |λ|, which may be negative', () => {
    const hvp = explicitHvp(symmetricWithSpectrum([-5, 1, 2, 0.5], 23), 4);
    const r = powerIteration(hvp, { dim: 4, seed: 3, tol: 1e-14, maxIters: 500 });
    assert.ok(Math.abs(r.value + 5) < 1e-8);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { estimateSharpness } from './estimate_sharpness';
import { explicitHvp } from './explicit_hvp';
import { diagonalMatrix, linregDiagEigenvalues, symmetricWithSpectrum } from './internal/known_spectrum';

void describe('estimateSharpness', () => {
  void test('linreg-diag d = 1000, η = 1, defaults: λ_max within 1%, trace and R within 5%', () => {
    const d = 1000;
    const eig = linregDiagEigenvalues(d);
    const exactR = eig.reduce((a, k) => a - 0.5 * Math.log(1 - k / (2 * 1)), 0);
    const r = estimateSharpness({ hvp: explicitHvp(diagonalMatrix(eig), d), dim: d, eta: 1, seed: 7 });
    console.log('linreg-diag report', JSON.stringify(r), `exact R ${exactR}`);
    assert.ok(Math.abs(r.topEigenvalue - 1) < 0.01);
    assert.ok(Math.abs(1 - r.topEigenvalue) <= r.topEigenvalueError);
    assert.ok(Math.abs(r.traceHessian - 500.5) < 0.05 * 500.5);
    assert.ok(r.implicitRegularizerDefined && r.implicitRegularizer !== null);
    assert.ok(Math.abs(r.implicitRegularizer - exactR) < 0.05 * exactR);
    assert.deepEqual(r.unstableEigenvalues, []);
    assert.equal(r.hvpCount, 20 + 10 * 15);
    assert.equal(r.topK, undefined);
  });

  void test('outliers + bulk (an MLP-like spectrum): deflated trace is tight; topK reported', () => {
    const n = 200;
    const spectrum = Float64Array.from({ length: n }, (_, i) => (i < 3 ? 40 / (i + 1) : 0.05 * Math.abs(Math.sin(i))));
    const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 61), n);
    const r = estimateSharpness({ hvp, dim: n, eta: 0.02, seed: 8, topK: 3 });
    const exactTrace = spectrum.reduce((a, b) => a + b, 0);
    assert.deepEqual(
      r.topK?.map((x) => Math.round(x * 1e6) / 1e6),
      [40, 20, 13.333333],
    );
    assert.ok(Math.abs(r.traceHessian - exactTrace) < 0.01 * exactTrace, `${r.traceHessian} vs ${exactTrace}`);
    assert.ok(r.traceHessianStderr < 0.01 * exactTrace);
  });

  void test('unstable: λ_max ≥ 2(1+β)/η gives R null, defined false, trace still reported', () => {
    const n = 60;
    const spectrum = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 25 : i / n));
    const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 62), n);
    const r = estimateSharpness({ hvp, dim: n, eta: 0.1, beta: 0.2, seed: 9 }); // threshold 24
    assert.equal(r.implicitRegularizerDefined, false);
    assert.equal(r.implicitRegularizer, null);
    assert.equal(r.implicitRegularizerStderr, null);
    assert.equal(r.unstableEigenvalues.length, 1);
    assert.ok(Math.abs(r.unstableEigenvalues[0] - 25) < 1e-6);
    assert.ok(Number.isFinite(r.traceHessian));
    assert.ok(!JSON.stringify(r).includes('NaN'));
  });
});

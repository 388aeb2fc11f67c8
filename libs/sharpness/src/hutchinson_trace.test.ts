import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { explicitHvp } from './explicit_hvp';
import { hutchinsonTrace } from './hutchinson_trace';
import { diagonalMatrix, linregDiagEigenvalues, symmetricWithSpectrum } from './internal/known_spectrum';

void describe('hutchinsonTrace', () => {
  void test('linreg-diag d = 1000: Rademacher probes are exact on a diagonal, stops at minProbes', () => {
    const d = 1000;
    const r = hutchinsonTrace(explicitHvp(diagonalMatrix(linregDiagEigenvalues(d)), d), { dim: d, seed: 1 });
    assert.ok(Math.abs(r.trace - 500.5) < 1e-9, `${r.trace}`);
    assert.equal(r.probes, 10);
    assert.equal(r.hvpCount, 10);
  });

  void test('stops on the relative standard error, not on a change', () => {
    const n = 80;
    const spectrum = Float64Array.from({ length: n }, (_, i) => 1 + Math.sin(i));
    const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 31), n);
    // 1%: 96–141 probes over seeds 0–19, well above minProbes (at 2% some seeds stop at 10).
    const r = hutchinsonTrace(hvp, { dim: n, seed: 2, relStdErr: 0.01, maxProbes: 1000 });
    assert.ok(r.stderr <= 0.01 * Math.abs(r.trace));
    assert.ok(r.probes > 10 && r.probes < 1000, `${r.probes}`);
    const capped = hutchinsonTrace(hvp, { dim: n, seed: 2, relStdErr: 1e-6, maxProbes: 25 });
    assert.equal(capped.probes, 25);
    assert.ok(capped.stderr > 1e-6 * capped.trace);
  });

  void test('stderr calibration: over 400 seeds the true trace lies within 2·stderr about 95% of the time', () => {
    // Indefinite spectrum, n = 60, m = 30 probes: t_29 gives P(|t| ≤ 2) ≈ 0.945. The
    // coverage count is Binomial(400, ≈0.945) with sd ≈ 4.6 (1.1%); the window [0.90, 0.98]
    // is ≥ 3σ on each side, so a different seed set fails with odds below ~1/300.
    const n = 60;
    const spectrum = Float64Array.from({ length: n }, (_, i) => Math.cos(1.3 * i) + 0.2);
    const exact = spectrum.reduce((a, b) => a + b, 0);
    const hvp = explicitHvp(symmetricWithSpectrum(spectrum, 32), n);
    let covered = 0;
    const runs = 400;
    for (let seed = 0; seed < runs; seed++) {
      const r = hutchinsonTrace(hvp, { dim: n, seed: 1000 + seed, minProbes: 30, maxProbes: 30 });
      if (Math.abs(r.trace - exact) <= 2 * r.stderr) covered++;
    }
    const rate = covered / runs;
    console.log(`hutchinson 2-stderr coverage: ${rate}`);
    assert.ok(rate >= 0.9 && rate <= 0.98, `coverage ${rate}`);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Hvp } from './hvp';
import { hvpError } from './hvp_error';
import { estimateSharpness } from './estimate_sharpness';
import { explicitHvp } from './explicit_hvp';
import { sampleStderr } from './sample_error';
import { diagonalMatrix } from './internal/known_spectrum';

/**
 * The central difference of ∇L for L(θ) = Σ θ_i⁴/12 + Σ d_i θ_i²/2 (gradient θ³/3 + dθ,
 * Hessian diag(θ² + d)), computed exactly in float64: its error is ε²·v³/3 per entry.
 */
function quarticFd(theta: Float64Array, d: Float64Array, eps: number): Hvp {
  const grad = (t: Float64Array): Float64Array => t.map((x, i) => x ** 3 / 3 + d[i] * x);
  return (v) => {
    const gp = grad(theta.map((t, i) => t + eps * v[i]));
    const gm = grad(theta.map((t, i) => t - eps * v[i]));
    return gp.map((g, i) => (g - gm[i]) / (2 * eps));
  };
}

void describe('hvpError', () => {
  void test('measures the truncation of a quartic exactly (4/3·‖H_ε u − H_{ε/2} u‖)', () => {
    const n = 5;
    const theta = Float64Array.from({ length: n }, (_, i) => 0.5 + i);
    const d = new Float64Array(n);
    const eps = 0.1;
    const u = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -2));
    const e = hvpError(quarticFd(theta, d, eps), quarticFd(theta, d, eps / 2), u);
    const truth = Math.hypot(...Array.from(u, (x) => (eps * eps * x ** 3) / 3));
    assert.ok(Math.abs(e.norm - truth) < 1e-9 * truth, `${e.norm} vs ${truth}`);
    const truthQuad = Math.abs(Array.from(u).reduce((s, x) => s + (eps * eps * x ** 4) / 3, 0));
    assert.ok(Math.abs(e.quadratic - truthQuad) < 1e-9 * truthQuad);
  });

  void test('estimateSharpness: the λ_max error bar covers the exact eigenvalue only once the HVP error is in it', () => {
    // Hessian at θ = 0: diag(d); the difference adds ε²v³/3, which shifts the top Ritz value by ε²/3.
    const n = 40;
    const d = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 10 : (i / n) * 5));
    const theta = new Float64Array(n);
    const eps = 0.5;
    const base = { hvp: quarticFd(theta, d, eps), dim: n, eta: 0.01, seed: 3, lanczosSteps: 40 };
    const old = estimateSharpness(base);
    const r = estimateSharpness({ ...base, hvpHalfStep: quarticFd(theta, d, eps / 2) });
    assert.ok(Math.abs(old.topEigenvalue - 10) > 10 * old.topEigenvalueError, 'without the HVP error the residual alone claims too much');
    assert.ok(Math.abs(r.topEigenvalue - 10) <= r.topEigenvalueError, `${r.topEigenvalue} ± ${r.topEigenvalueError}`);
    assert.ok(r.topEigenvalueError < 3 * Math.abs(r.topEigenvalue - 10), 'and not far larger than the actual error');
    assert.ok(r.hvpRelativeError > 0);
    assert.equal(r.hvpCount, old.hvpCount + 2 * (5 + 1));
  });
});

void describe('sample standard errors', () => {
  void test('sampleStderr is the between-part standard error of the weighted mean', () => {
    assert.ok(Math.abs((sampleStderr([1, 2, 3, 4], [0.25, 0.25, 0.25, 0.25]) ?? 0) - Math.sqrt(5 / 12)) < 1e-12);
    assert.equal(sampleStderr([1], [1]), null);
  });

  void test("estimateSharpness with per-part HVPs: λ_max's sample error is the spread of the parts' top diagonal entries", () => {
    const n = 30;
    const partDiags = [0, 1, 2, 3].map((k) => Float64Array.from({ length: n }, (_, i) => (i === 0 ? 8 + k : 0.1 * (i % 5) + 0.01 * k)));
    const parts = partDiags.map((dg) => explicitHvp(diagonalMatrix(dg), n));
    const mean = Float64Array.from({ length: n }, (_, i) => partDiags.reduce((s, dg) => s + dg[i] / 4, 0));
    const r = estimateSharpness({
      hvp: explicitHvp(diagonalMatrix(mean), n),
      dim: n,
      eta: 0.01,
      seed: 5,
      lanczosSteps: 30,
      hvpParts: { apply: (v) => parts.map((h) => h(v)), weights: [0.25, 0.25, 0.25, 0.25] },
    });
    const want = sampleStderr([8, 9, 10, 11], [0.25, 0.25, 0.25, 0.25]) ?? 0;
    assert.ok(Math.abs((r.topEigenvalueSampleStderr ?? 0) - want) < 1e-6 * want, `${r.topEigenvalueSampleStderr} vs ${want}`);
    // tr H_k = tr(mean) + (k − 1.5)·(1 + 0.01·n): the spread of the parts' traces.
    const traces = partDiags.map((dg) => dg.reduce((s, x) => s + x, 0));
    const wantTrace = sampleStderr(traces, [0.25, 0.25, 0.25, 0.25]) ?? 0;
    assert.ok(Math.abs((r.traceHessianSampleStderr ?? 0) - wantTrace) < 0.05 * wantTrace, `${r.traceHessianSampleStderr} vs ${wantTrace}`);
    assert.ok(r.implicitRegularizerSampleStderr !== null && r.implicitRegularizerSampleStderr > 0);
  });
});

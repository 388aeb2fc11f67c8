import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { estimateSharpness } from './estimate_sharpness';
import { explicitHvp } from './explicit_hvp';
import type { Hvp, HvpBlock } from './hvp';
import { hutchinsonTrace } from './hutchinson_trace';
import { slq } from './slq';
import { symmetricWithSpectrum } from './internal/known_spectrum';

/** `hvp` as a block HVP that records each call's block size. */
function blockOf(hvp: Hvp): { block: HvpBlock; sizes: number[] } {
  const sizes: number[] = [];
  return { block: (vs) => (sizes.push(vs.length), vs.map(hvp)), sizes };
}

/** A deterministic "finite-difference" HVP: H plus a step-dependent perturbation, so ε and ε/2 differ. */
function perturbed(a: Float64Array, n: number, eps: number): Hvp {
  const h = explicitHvp(a, n);
  return (v) => h(v).map((x, i) => x + eps * eps * Math.sin(i) * v[i]);
}

void describe('block probes: several directions per call, the same estimates', () => {
  const n = 90;
  const spectrum = Float64Array.from({ length: n }, (_, i) => (i < 4 ? 3 - 0.4 * i : Math.cos(i)));
  const a = symmetricWithSpectrum(spectrum, 5);
  const hvp = explicitHvp(a, n);

  void test('SLQ in lockstep gives the same bits as probe by probe, in steps calls per probe block', () => {
    const plain = slq(hvp, { dim: n, probes: 7, steps: 12, seed: 3 });
    const b = blockOf(hvp);
    const blocked = slq(hvp, { dim: n, probes: 7, steps: 12, seed: 3, hvpBlock: b.block, probeBlock: 4 });
    assert.deepEqual(blocked, plain);
    // Probes 0-3 then 4-6, 12 lockstep calls each.
    assert.deepEqual(b.sizes, [...Array<number>(12).fill(4), ...Array<number>(12).fill(3)]);
  });

  void test('Hutchinson in blocks stops at the same probe with the same estimate', () => {
    for (const relStdErr of [0, 0.05, 0.2]) {
      const plain = hutchinsonTrace(hvp, { dim: n, seed: 9, maxProbes: 40, minProbes: 6, relStdErr });
      const b = blockOf(hvp);
      const blocked = hutchinsonTrace(hvp, { dim: n, seed: 9, maxProbes: 40, minProbes: 6, relStdErr, hvpBlock: b.block, probeBlock: 5 });
      assert.equal(blocked.trace, plain.trace);
      assert.equal(blocked.stderr, plain.stderr);
      assert.equal(blocked.probes, plain.probes);
      assert.equal(b.sizes[0], 6);
      assert.ok(b.sizes.length <= 1 + Math.ceil((plain.probes - 6) / 5), `${b.sizes.length} calls for ${plain.probes} probes`);
    }
  });

  void test('estimateSharpness with block HVPs equals the plain report in 20 + 15 + 2 calls instead of 182', () => {
    const eps = 1e-3;
    const base = { dim: n, eta: 0.3, seed: 11, lanczosSteps: 20, probes: 10, slqSteps: 15, hvp: perturbed(a, n, eps), hvpHalfStep: perturbed(a, n, eps / 2) };
    const plain = estimateSharpness(base);
    const full = blockOf(base.hvp);
    const half = blockOf(base.hvpHalfStep);
    const blocked = estimateSharpness({ ...base, hvpBlock: full.block, hvpHalfStepBlock: half.block });
    assert.deepEqual(blocked, plain);
    assert.ok(plain.hvpRelativeError > 0);
    // Lanczos calls the plain hvp (20); SLQ 15 blocks of 10; the error check one block each at ε and ε/2.
    assert.deepEqual(full.sizes, [...Array<number>(15).fill(10), 6]);
    assert.deepEqual(half.sizes, [6]);
    assert.equal(plain.hvpCount, 20 + 150 + 12);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { noiseScaleFromPerSample, noiseScaleFromTwoBatches } from './noise_scale';
import { noiseScaleEma } from './noise_scale_ema';
import { ProbeStream, normalVector } from './internal/rng';
import { meanAndStderr } from './internal/vector';

// Synthetic gradient model: g_i = G + diag(s)·z_i, z_i ~ N(0, I), so tr Σ = Σ s_j², |G|² known.
const p = 10;
const G = Float64Array.from({ length: p }, (_, j) => 0.3 * Math.cos(j));
const s = Float64Array.from({ length: p }, (_, j) => 0.5 + 0.1 * j);
const trueTraceSigma = s.reduce((a, x) => a + x * x, 0);
const trueGradSqNorm = G.reduce((a, x) => a + x * x, 0);
const trueBSimple = trueTraceSigma / trueGradSqNorm;

function samples(seed: number, count: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => {
    const z = normalVector({ seed, stream: ProbeStream.TEST, index: i }, p);
    return Float32Array.from(z, (x, j) => G[j] + s[j] * x);
  });
}

function meanSqNorm(gs: Float32Array[]): number {
  const m = new Float64Array(p);
  for (const g of gs) for (let j = 0; j < p; j++) m[j] += g[j] / gs.length;
  return m.reduce((a, x) => a + x * x, 0);
}

void describe('noise scale', () => {
  void test(`per-sample estimator is unbiased for tr Σ and |G|² (B = 8, 1500 trials)`, () => {
    const tr: number[] = [];
    const gg: number[] = [];
    for (let t = 0; t < 1500; t++) {
      const e = noiseScaleFromPerSample(samples(t, 8));
      tr.push(e.traceSigma);
      gg.push(e.gradSqNorm);
    }
    const a = meanAndStderr(tr);
    const b = meanAndStderr(gg);
    // 4-stderr windows: false-failure odds ~1e-4 each (CLT over 1500 trials).
    assert.ok(Math.abs(a.mean - trueTraceSigma) <= 4 * a.stderr, `tr Σ ${a.mean} ± ${a.stderr} vs ${trueTraceSigma}`);
    assert.ok(Math.abs(b.mean - trueGradSqNorm) <= 4 * b.stderr, `|G|² ${b.mean} ± ${b.stderr} vs ${trueGradSqNorm}`);
  });

  void test('per-sample estimator with B = 4000 gives B_simple within 10%', () => {
    const e = noiseScaleFromPerSample(samples(99, 4000));
    assert.ok(Math.abs(e.bSimple - trueBSimple) < 0.1 * trueBSimple, `${e.bSimple} vs ${trueBSimple}`);
  });

  void test('two-batch estimator (B_small = 8 ⊂ B_big = 64) is unbiased; its EMA ratio recovers B_simple', () => {
    const tr: number[] = [];
    const gg: number[] = [];
    const ema = noiseScaleEma({ decay: 0.995 });
    let state = ema.init();
    for (let t = 0; t < 2000; t++) {
      const big = samples(10_000 + t, 64);
      const e = noiseScaleFromTwoBatches({ bSmall: 8, gSmallSqNorm: meanSqNorm(big.slice(0, 8)), bBig: 64, gBigSqNorm: meanSqNorm(big) });
      tr.push(e.traceSigma);
      gg.push(e.gradSqNorm);
      state = ema.update(state, e);
    }
    const a = meanAndStderr(tr);
    const b = meanAndStderr(gg);
    assert.ok(Math.abs(a.mean - trueTraceSigma) <= 4 * a.stderr, `tr Σ ${a.mean} ± ${a.stderr} vs ${trueTraceSigma}`);
    assert.ok(Math.abs(b.mean - trueGradSqNorm) <= 4 * b.stderr, `|G|² ${b.mean} ± ${b.stderr} vs ${trueGradSqNorm}`);
    assert.equal(state.count, 2000);
    // EMA over an effective ~200 steps: relative sd of the ratio ≈ 10%; 30% is a 3σ window (odds ~3e-3).
    assert.ok(Math.abs(ema.bSimple(state) - trueBSimple) < 0.3 * trueBSimple, `${ema.bSimple(state)} vs ${trueBSimple}`);
  });

  void test('exact arithmetic on a hand example, and noise-dominated |G|² ≤ 0 gives +Infinity', () => {
    // E|G_B|² = |G|² + trΣ/B with |G|² = 1, trΣ = 8: B = 2 → 5, B = 8 → 2.
    const e = noiseScaleFromTwoBatches({ bSmall: 2, gSmallSqNorm: 5, bBig: 8, gBigSqNorm: 2 });
    assert.ok(Math.abs(e.gradSqNorm - 1) < 1e-12 && Math.abs(e.traceSigma - 8) < 1e-12 && Math.abs(e.bSimple - 8) < 1e-12);
    const noisy = noiseScaleFromTwoBatches({ bSmall: 2, gSmallSqNorm: 5, bBig: 8, gBigSqNorm: 1 });
    assert.equal(noisy.bSimple, Number.POSITIVE_INFINITY);
    const ema = noiseScaleEma({ decay: 0.9 });
    assert.equal(ema.bSimple(ema.init()), Number.POSITIVE_INFINITY);
  });

  void test('rejects bad inputs, naming function and values', () => {
    assert.throws(
      () => noiseScaleFromTwoBatches({ bSmall: 8, gSmallSqNorm: 1, bBig: 8, gBigSqNorm: 1 }),
      /noiseScaleFromTwoBatches: need 0 < bSmall < bBig, got bSmall = 8, bBig = 8/,
    );
    assert.throws(() => noiseScaleFromPerSample([new Float32Array(2)]), /need at least 2/);
    assert.throws(() => noiseScaleFromPerSample([new Float32Array(2), new Float32Array(3)]), /gradient 1 has length 3/);
    assert.throws(() => noiseScaleEma({ decay: 1 }), /decay must lie in \[0, 1\), got 1/);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { linregDiagData } from '@lnsgd/data';
import { createModel, uvToyHessian } from '@lnsgd/models';
import { makeLabelNoiser } from './label_noiser';
import { createNoiseCovarianceTrace, type NoiseCovarianceTrace } from './noise_covariance_trace';
import { loadPresetData } from './preset_data';
import { resolveRunConfig } from './run_config';
import type { Hyper } from './presets';

// Ground truth below is written out in float64 from the models' formulas, not taken from
// the estimator: uv-toy ℓ = ½(uvx − y)², so the noise part of ∇ℓ_i is −ε_i x_i (v, u) and
// tr G = σ²(u² + v²)·E[x²]; quadratic-sparse ℓ = ¼(⟨v⊙v, x⟩ − y)², noise part −ε_i (v⊙x_i),
// tr G = σ² Σ_j v_j² E[x_j²], and tr∇²L = mean_i Σ_j (2 v_j² x_ij² + r_i x_ij).

function setup(preset: string, overrides: Partial<Hyper>) {
  const { preset: p, hyper } = resolveRunConfig(preset, overrides);
  const data = loadPresetData(p.data, hyper.seed);
  const model = createModel(p.model.name, p.model.options ?? {});
  const noiser = makeLabelNoiser({ task: model.task, hyper, numClasses: data.train.numClasses }).apply;
  return { hyper, data, model, estimate: createNoiseCovarianceTrace({ model, train: data.train, hyper, noiser }) };
}

function numeric(e: NoiseCovarianceTrace): { trace: number; stderr: number } {
  assert.ok(e.trace_noise_covariance !== null, 'expected an estimate');
  return { trace: e.trace_noise_covariance, stderr: e.trace_noise_covariance_stderr };
}

/** Mean, its standard error over `steps` estimates, and the mean reported variance. */
function repeat(estimate: (theta: Float32Array, step: number) => NoiseCovarianceTrace, theta: Float32Array, steps: number) {
  const xs: number[] = [];
  let reportedVar = 0;
  for (let k = 0; k < steps; k++) {
    const e = numeric(estimate(theta, k));
    xs.push(e.trace);
    reportedVar += e.stderr ** 2 / steps;
  }
  const mean = xs.reduce((a, b) => a + b, 0) / steps;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (steps - 1);
  return { mean, se: Math.sqrt(variance / steps), variance, reportedVar };
}

// Fixed seeds make these deterministic; the 4-standard-error bands would fail by chance
// with probability ~6e-5 each under the normal approximation of a mean of 400 estimates.
void test('tr G on uv-toy matches σ²(u² + v²)·E[x²] off and on the minimizer manifold, with a calibrated stderr', () => {
  for (const theta of [Float32Array.of(1.5, 0.3), Float32Array.of(4, 0.25)]) {
    const { data, estimate } = setup('uv-toy', { batch: 64, sigma: 0.5, seed: 3 });
    let m = 0;
    for (const x of data.train.x) m += (x * x) / data.train.n;
    const closed = 0.25 * (theta[0] ** 2 + theta[1] ** 2) * m;
    const r = repeat(estimate, theta, 400);
    assert.ok(Math.abs(r.mean - closed) <= 4 * r.se, `θ = ${theta.join(', ')}: mean ${r.mean} ± ${r.se} vs closed form ${closed}`);
    // The per-estimate stderr (spread over 8 groups) must describe the estimates' actual spread.
    const ratio = r.reportedVar / r.variance;
    assert.ok(ratio > 0.6 && ratio < 1.6, `θ = ${theta.join(', ')}: reported variance / observed variance = ${ratio}`);
  }
});

void test('at uv-toy global minimizers tr G = σ²·tr∇²L (closed-form Hessian)', () => {
  for (const theta of [Float32Array.of(4, 0.25), Float32Array.of(1, 1), Float32Array.of(-2, -0.5)]) {
    const { data, estimate } = setup('uv-toy', { batch: 64, sigma: 0.5, seed: 5 });
    const h = uvToyHessian(theta, data.meta?.['meanXSquared'] as number);
    const relation = 0.25 * (h[0] + h[3]);
    const r = repeat(estimate, theta, 400);
    assert.ok(Math.abs(r.mean - relation) <= 4 * r.se, `θ = ${theta.join(', ')}: tr G ${r.mean} ± ${r.se} vs σ²·tr∇²L ${relation}`);
  }
});

void test('at the quadratic-sparse teacher minimizer tr G = (σ²/2)·tr∇²L (float64 reference)', () => {
  const sigma = 0.7;
  const { data, estimate } = setup('quadratic-sparse', { batch: 40, sigma, seed: 2 });
  const { train } = data;
  const d = 100;
  const wStar = data.meta?.['wStar'] as Float32Array;
  const theta = Float32Array.from(wStar, (w) => Math.sqrt(w));
  // Float64 tr∇²L at θ over the whole training set (B = n, so every step sees it all).
  let trH = 0;
  for (let i = 0; i < train.n; i++) {
    let f = 0;
    for (let j = 0; j < d; j++) f += theta[j] ** 2 * train.x[i * d + j];
    const r = f - train.y[i];
    for (let j = 0; j < d; j++) trH += (2 * theta[j] ** 2 * train.x[i * d + j] ** 2 + r * train.x[i * d + j]) / train.n;
  }
  const relation = ((sigma * sigma) / 2) * trH;
  const rep = repeat(estimate, theta, 400);
  assert.ok(trH > 1, `tr∇²L ${trH} should be of order k = 5`);
  assert.ok(Math.abs(rep.mean - relation) <= 4 * rep.se, `tr G ${rep.mean} ± ${rep.se} vs (σ²/2)·tr∇²L ${relation}`);
  // And away from the minimizer (v = 1) against its closed form σ² Σ_j v_j² mean(x_j²).
  const ones = new Float32Array(d).fill(1);
  let closed = 0;
  for (let i = 0; i < train.n * d; i++) closed += (sigma * sigma * train.x[i] ** 2) / train.n;
  const off = repeat(estimate, ones, 400);
  assert.ok(Math.abs(off.mean - closed) <= 4 * off.se, `v = 1: tr G ${off.mean} ± ${off.se} vs ${closed}`);
});

void test('tr G is 0 without noise, null with a reason for classification and for B = 1', () => {
  const { model, estimate } = setup('uv-toy', { batch: 16, sigma: 0 });
  assert.deepEqual(numeric(estimate(model.init(0), 0)), { trace: 0, stderr: 0 });
  // A tiny classifier: the refusal depends only on the task, never on the data.
  const { hyper, data } = setup('uv-toy', { batch: 16 });
  const classifier = createModel('mlp', { sizes: [1, 3, 2] });
  const noiser = () => new Int32Array(16);
  const e = createNoiseCovarianceTrace({ model: classifier, train: data.train, hyper, noiser })(classifier.init(0), 0);
  assert.equal(e.trace_noise_covariance, null);
  assert.match('trace_noise_covariance_reason' in e ? e.trace_noise_covariance_reason : '', /label flips/);
  const single = setup('uv-toy', { batch: 1 });
  const one = single.estimate(single.model.init(0), 0);
  assert.equal(one.trace_noise_covariance, null);
  assert.match('trace_noise_covariance_reason' in one ? one.trace_noise_covariance_reason : '', /batch of 1/);
});

void test('tr G on a tfjs-path model leaves no tensors behind', () => {
  const d = 20;
  const data = linregDiagData({ d, teacherSeed: 1 });
  const model = createModel('linreg-diag', { d });
  const { hyper } = resolveRunConfig('linreg-diag', { batch: 16, sigma: 0.3 });
  const noiser = makeLabelNoiser({ task: 'regression', hyper, numClasses: 0 }).apply;
  const estimate = createNoiseCovarianceTrace({ model, train: data.train, hyper, noiser });
  const theta = model.init(0);
  numeric(estimate(theta, 0));
  const before = tf.memory().numTensors;
  for (let k = 1; k < 20; k++) assert.ok(numeric(estimate(theta, k)).trace > 0);
  assert.equal(tf.memory().numTensors, before);
});

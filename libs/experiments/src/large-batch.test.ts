import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Row } from '@lnsgd/report';
import { LARGE_BATCH_SETTINGS, largeBatchSummary, runLargeBatchProblem } from './large-batch';
import { quadraticSparseProblem } from './internal/large-batch-problems';
import { experimentNames } from './registry';

// A 10k-step version of the experiment's quadratic-sparse part at B = 1 and 32, one seed
// (~6 s on a loaded 2-core machine). Measured over seeds 0–7: constant-λ tr∇²L at B = 32
// ≤ 50.4 (≤ 0.38× plain SGD's ≥ 131.5 and fixed σ's ≥ 136.2); tr G / (2c·tr∇²L) in
// [0.93, 1.16] at all 32 label-noise final points. The seed is fixed, so the run is
// deterministic; the 0.5× and ±30% margins leave room for platform round-off.
const TINY = { ...LARGE_BATCH_SETTINGS.sparse, quickBatches: [1, 32], quickSteps: 10_000 } as const;

void test('large-batch on tiny quadratic-sparse: constant λ keeps tr∇²L low at B = 32; summary is aligned', () => {
  const s = LARGE_BATCH_SETTINGS.sparse;
  const problem = quadraticSparseProblem({ d: s.d, k: s.k, n: s.n, seed: s.dataSeed });
  const series: Row[] = [];
  const r = runLargeBatchProblem(problem, TINY, { quick: true, seeds: [0], records: 10, series, progress: () => () => undefined });
  const last = (arm: 'constant_lambda' | 'fixed_sigma' | 'plain'): number => r.arms[arm][1].trace.median;
  assert.ok(last('constant_lambda') < 0.5 * last('plain'), `constant λ ${last('constant_lambda')} vs plain ${last('plain')}`);
  assert.ok(last('constant_lambda') < 0.5 * last('fixed_sigma'), `constant λ ${last('constant_lambda')} vs fixed σ ${last('fixed_sigma')}`);
  // At B = B_min the two label-noise arms are the same run.
  assert.equal(r.arms.constant_lambda[0].trace.median, r.arms.fixed_sigma[0].trace.median);
  // tr G = 2cσ²·tr∇²L near a global minimizer (the trainer's estimator against Hutchinson's).
  assert.equal(r.noiseCovariance.length, 4);
  for (const p of r.noiseCovariance) {
    const ratio = p.traceG / (2 * r.c * p.traceHessian);
    assert.ok(Math.abs(ratio - 1) < 0.3, `tr G / (2c tr∇²L) = ${ratio} at ${p.arm}, B = ${p.batch}`);
  }
  const summary = largeBatchSummary(r, '');
  const required = [
    'trace_hessian_constant_lambda',
    'trace_hessian_fixed_sigma',
    'trace_hessian_plain',
    'test_metric_constant_lambda',
    'test_metric_plain',
    'steps_to_target_constant_lambda',
  ];
  assert.deepEqual(summary['batch_sizes'], [1, 32]);
  for (const k of required) {
    const v = summary[k];
    assert.ok(Array.isArray(v) && v.length === 2, `${k} = ${JSON.stringify(v)}`);
  }
  assert.equal(series.length, 3 * 2 * 11);
  assert.ok(experimentNames.includes('large-batch'));
});

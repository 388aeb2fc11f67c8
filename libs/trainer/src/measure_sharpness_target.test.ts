import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '@lnsgd/backend';
import { createModel } from '@lnsgd/models';
import { measureSharpness, measureSharpnessToTarget, type SharpnessBudget, type SharpnessFields } from './measure_sharpness';
import { teacherData } from './sharpness_calibration';

/** Fields whose errors follow the textbook rates: estimator ∝ 1/√probes, subsample ∝ 1/√samples. */
function modelled(b: SharpnessBudget): SharpnessFields {
  const probeErr = Math.sqrt(10 / (b.probes ?? 10));
  const sampleErr = 8 * Math.sqrt(16 / (b.samples ?? 16));
  return {
    top_eigenvalue: 100,
    top_eigenvalue_error: 0.1,
    trace_hessian: 100,
    trace_hessian_stderr: probeErr,
    implicit_regularizer: 100,
    implicit_regularizer_stderr: probeErr,
    top_eigenvalue_sample_stderr: 0.1,
    trace_hessian_sample_stderr: sampleErr,
    implicit_regularizer_sample_stderr: sampleErr,
    hvp_relative_error: 1e-4,
    unstable_eigenvalues: [],
    hvp_count: 100 + 10 * (b.probes ?? 10),
    sharpness_samples: b.samples ?? 16,
    sharpness_wall_s: 0,
  };
}

void describe('measureSharpnessToTarget', () => {
  void test('when the subsample dominates it doubles the samples, not the probes, until the target is met', () => {
    const seen: SharpnessBudget[] = [];
    const r = measureSharpnessToTarget({ target: 0.02, maxHvps: 1e6, pool: 60000 }, { probes: 10, samples: 16 }, (b) => {
      seen.push(b);
      return modelled(b);
    });
    // hypot(1, 8·√(16/s))/100 ≤ 0.02 first at s = 512.
    assert.deepEqual(
      seen.map((b) => b.samples),
      [16, 32, 64, 128, 256, 512],
    );
    assert.ok(seen.every((b) => b.probes === 10));
    assert.equal(r.stoppedBy, 'target');
    assert.ok(r.worst.value <= 0.02);
    assert.equal(r.spent, 6 * 200);
  });

  void test('stops at the HVP budget, before a round that would exceed it', () => {
    const r = measureSharpnessToTarget({ target: 0.02, maxHvps: 700, pool: 60000 }, { probes: 10, samples: 16 }, modelled);
    assert.equal(r.stoppedBy, 'max_hvps');
    assert.equal(r.spent, 600);
    assert.deepEqual([r.budget.samples, r.worst.source], [64, 'samples']);
  });

  void test('a batch grown to the whole pool has no subsample error: then the probes double', () => {
    const seen: SharpnessBudget[] = [];
    const r = measureSharpnessToTarget({ target: 0.009, maxHvps: 1e6, pool: 100 }, { probes: 10, samples: 16 }, (b) => {
      seen.push(b);
      return modelled(b);
    });
    assert.deepEqual(
      seen.map((b) => [b.samples, b.probes]),
      [
        [16, 10],
        [32, 10],
        [64, 10],
        [100, 10],
        [100, 20],
      ],
    );
    assert.equal(r.stoppedBy, 'target');
  });

  void test('the HVP error, which neither more probes nor samples reduce, stops it', () => {
    const r = measureSharpnessToTarget({ target: 0.02, maxHvps: 1e6, pool: 60000 }, { probes: 10, samples: 16 }, (b) => ({
      ...modelled(b),
      hvp_relative_error: 0.05,
    }));
    assert.equal(r.stoppedBy, 'hvp_error');
    assert.equal(r.spent, 200);
  });

  void test('on a real MLP (16 of 1024 samples) the subsample dominates: samples double to the target or the budget', async () => {
    await initBackend({ request: 'wasm' });
    const model = createModel('mlp', { sizes: [12, 24, 3] });
    const ds = teacherData(model, 1024);
    const theta = model.init(1);
    const measure = (b: SharpnessBudget): SharpnessFields => measureSharpness({ model, theta, ds, seed: 1, eta: 0.5, beta: 0, budget: b });
    const seen: number[] = [];
    const r = measureSharpnessToTarget({ target: 0.25, maxHvps: 5000, pool: ds.n }, { probes: 10, samples: 16 }, (b) => {
      seen.push(b.samples ?? 0);
      return measure(b);
    });
    // Measured: worst relative error 0.39, 0.62, 0.40, 0.22 (trace, from the subsample) at 16…128 samples.
    assert.deepEqual(seen, [16, 32, 64, 128]);
    assert.equal(r.stoppedBy, 'target');
    assert.equal(r.budget.probes, 10);
    const f = r.fields;
    assert.ok(f.trace_hessian_sample_stderr !== null);
    assert.ok(Math.hypot(f.trace_hessian_stderr, f.trace_hessian_sample_stderr) <= 0.25 * f.trace_hessian);
    const capped = measureSharpnessToTarget({ target: 0.25, maxHvps: 500, pool: ds.n }, { probes: 10, samples: 16 }, measure);
    assert.deepEqual([capped.stoppedBy, capped.budget.samples, capped.worst.source], ['max_hvps', 32, 'samples']);
    assert.ok(capped.spent <= 500 && capped.worst.value > 0.25);
  });
});

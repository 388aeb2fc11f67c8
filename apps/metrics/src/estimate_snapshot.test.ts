import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '@lnsgd/backend';
import { measureSharpness, loadPresetData, resolveRunConfig } from '@lnsgd/trainer';
import { createSnapshotEstimator } from './estimate_snapshot';

void test("agrees with the trainer's measureSharpness and is 0 from the start at θ_start", async () => {
  await initBackend({ request: 'auto' });
  const config = resolveRunConfig('uv-toy', {});
  const est = createSnapshotEstimator({ config, budget: { lanczosSteps: 20, probes: 10, slqSteps: 15, samples: 1024, topK: 5, testSamples: 1024 } });
  try {
    const theta = est.model.init(config.hyper.seed);
    const e = est.estimate({ step: 0, theta });
    const ref = measureSharpness({ model: est.model, theta, ds: loadPresetData(config.preset.data, 0).train, seed: 0, eta: 0.1, beta: 0 });
    assert.equal(e.topEigenvalue, ref.top_eigenvalue);
    assert.equal(e.traceHessian, ref.trace_hessian);
    assert.equal(e.implicitRegularizer, ref.implicit_regularizer);
    assert.equal(e.distanceFromStart, 0);
    assert.equal(e.topK.length, 2, 'top-k is capped at the 2 parameters of the uv toy');
    assert.ok(e.traceHessian > 10, `the start (4, 0.25) is sharp: trace ${e.traceHessian}`);
    assert.ok(Math.abs(e.edgeOfStabilityRatio - (0.1 * e.topEigenvalue) / 2) < 1e-12);
    assert.ok(Number.isFinite(e.evalLoss) && Number.isFinite(e.testMetric));
    assert.throws(() => est.estimate({ step: 1, theta: new Float32Array(3) }), /snapshot of step 1 has 3 parameters, model uv-toy has 2/);
  } finally {
    est.dispose();
  }
});
